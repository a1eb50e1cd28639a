package image

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// DefaultTargetBytes is the size of a built image: 2 GiB fits every SD card
// sold for a Pi and leaves about 940 MB for /perm after boot (100 MB) and
// the two root partitions (500 MB each). monogok refuses less than
// 1258299392 bytes.
const DefaultTargetBytes = 2 << 30

const versionPkg = "github.com/psobox/psobox/internal/version"

// BuildOptions say what Build makes.
type BuildOptions struct {
	Instance *Instance
	Output   string // the .img file to write
	// Version and Commit are stamped into psobox (internal/version);
	// empty leaves psobox's defaults.
	Version, Commit string
	// Password is the gokrazy web interface password; "" makes a random one.
	Password string
	// TargetBytes is the image size; 0 means DefaultTargetBytes.
	TargetBytes int64
	// Monogok is the command that runs monogok; nil runs the version pinned
	// in tools/go.mod: go tool -modfile=<repo>/tools/go.mod monogok.
	Monogok []string
	// Log receives monogok's and mkfs's output; nil discards it.
	Log io.Writer
}

// Built is what Build made.
type Built struct {
	Image    string
	Password string // the gokrazy web interface password in the image
	Report   *Report
}

// Build makes a complete image for an instance with monogok, formats its
// /perm partition (so psobox's state has a home on the first boot), and
// checks the result.
func Build(ctx context.Context, opts BuildOptions) (*Built, error) {
	if errs := Validate(opts.Instance); len(errs) > 0 {
		return nil, fmt.Errorf("instance %s: %w", opts.Instance.Name, errors.Join(errs...))
	}
	if opts.Password == "" {
		opts.Password = rand.Text() // 26 characters, 130 bits
	}
	if err := runMonogok(ctx, opts); err != nil {
		return nil, err
	}
	if err := FormatPerm(ctx, opts.Output, opts.Log); err != nil {
		return nil, err
	}
	report, err := Check(ctx, opts.Output, opts.Instance)
	if err != nil {
		return nil, err
	}
	return &Built{Image: opts.Output, Password: opts.Password, Report: report}, nil
}

// runMonogok writes the instance's config.json with this build's password
// and version stamp to a temporary file beside it, and runs monogok on it.
// The copy lives in the instance directory because monogok finds the Go
// module by walking up from the config file, and resolves ExtraFilePaths
// against its working directory, which is the instance directory.
func runMonogok(ctx context.Context, opts BuildOptions) error {
	cfgPath, err := writeBuildConfig(opts)
	if err != nil {
		return err
	}
	defer os.Remove(cfgPath)
	out, err := filepath.Abs(opts.Output)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	size := opts.TargetBytes
	if size == 0 {
		size = DefaultTargetBytes
	}
	args := []string{"--config", cfgPath, "overwrite", "--full", out,
		fmt.Sprintf("--target_storage_bytes=%d", size), "--sudo=never"}
	log := newRedactor(opts.Log, opts.Password)
	cmd, err := monogokCommand(ctx, opts, args, log)
	if err != nil {
		return err
	}
	err = cmd.Run()
	if cerr := log.Close(); err == nil && cerr != nil {
		return cerr
	}
	if err != nil {
		return fmt.Errorf("monogok for %s: %w", opts.Instance.Name, err)
	}
	return nil
}

func monogokCommand(ctx context.Context, opts BuildOptions, args []string, log io.Writer) (*exec.Cmd, error) {
	prefix := opts.Monogok
	if prefix == nil {
		root, err := ModuleRoot(opts.Instance.Dir)
		if err != nil {
			return nil, err
		}
		prefix = []string{"go", "tool", "-modfile=" + filepath.Join(root, "tools", "go.mod"), "monogok"}
	}
	cmd := exec.CommandContext(ctx, prefix[0], append(prefix[1:], args...)...)
	cmd.Dir = opts.Instance.Dir
	cmd.Stdout, cmd.Stderr = log, log
	return cmd, nil
}

// writeBuildConfig copies config.json as a generic JSON object (keeping
// fields Instance does not know) with Update.HTTPPassword and psobox's
// version stamp added.
func writeBuildConfig(opts BuildOptions) (string, error) {
	in := opts.Instance
	data, err := os.ReadFile(filepath.Join(in.Dir, "config.json"))
	if err != nil {
		return "", err
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return "", fmt.Errorf("%s/config.json: %w", in.Dir, err)
	}
	update, _ := doc["Update"].(map[string]any) // keep HTTPPort and friends
	if update == nil {
		update = map[string]any{}
	}
	update["HTTPPassword"] = opts.Password
	doc["Update"] = update
	if err := addStamp(doc, opts.Version, opts.Commit); err != nil {
		return "", err
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return "", err
	}
	f, err := os.CreateTemp(in.Dir, ".build-*.json") // 0600: it holds the password
	if err != nil {
		return "", err
	}
	_, err = f.Write(out)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// addStamp appends -ldflags setting internal/version to psobox's
// GoBuildFlags. monogok passes each flag as one argument, without a shell.
func addStamp(doc map[string]any, version, commit string) error {
	var sets []string
	for name, v := range map[string]string{"Version": version, "Commit": commit} {
		if v == "" {
			continue
		}
		if strings.ContainsAny(v, " \t\n'\"") {
			return fmt.Errorf("version stamp %s=%q: no spaces or quotes allowed", name, v)
		}
		sets = append(sets, fmt.Sprintf("-X %s.%s=%s", versionPkg, name, v))
	}
	if len(sets) == 0 {
		return nil
	}
	pkgs, _ := doc["PackageConfig"].(map[string]any)
	ps, _ := pkgs[PsoboxPackage].(map[string]any)
	if ps == nil {
		return errors.New("config.json has no PackageConfig for psobox to stamp")
	}
	flags, _ := ps["GoBuildFlags"].([]any)
	slices.Sort(sets) // map order is random; keep the flag stable
	ps["GoBuildFlags"] = append(flags, "-ldflags="+strings.Join(sets, " "))
	return nil
}

// ModuleRoot is the directory above dir that holds go.mod.
func ModuleRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
	}
}
