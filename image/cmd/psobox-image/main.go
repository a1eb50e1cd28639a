// Command psobox-image builds, checks and configures psobox's gokrazy SD
// card images. The Makefile's image targets run it; see README.md.
//
// Usage:
//
//	psobox-image build -instance gokrazy/rpi -out dist/psobox-rpi-v1.img [-version v1 -commit abc] [-password-file F] [-xz]
//	psobox-image check -instance gokrazy/rpi IMAGE
//	psobox-image configure -instance gokrazy/rpi [-config psobox.toml] [-password-file F] IMAGE
//	psobox-image update -host 10.55.0.1 -password-file F IMAGE
//
// build writes the gokrazy web interface password next to the image as
// <name>.password.txt (mode 0600) unless -password-file gives one.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"

	"github.com/psobox/psobox/image"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "psobox-image: %v\n", err)
		os.Exit(1)
	}
}

const usage = "usage: psobox-image build|check|configure|update [flags] (see -h of each)"

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "build":
		return build(ctx, args[1:], stdout, stderr)
	case "check":
		return check(ctx, args[1:], stdout)
	case "configure":
		return configure(ctx, args[1:], stdout)
	case "update":
		return update(ctx, args[1:], stdout)
	}
	return fmt.Errorf("unknown command %q; %s", args[0], usage)
}

func build(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	instance := fs.String("instance", "gokrazy/rpi", "instance `directory` holding config.json")
	out := fs.String("out", "", "image `file` to write (required)")
	version := fs.String("version", "", "version stamped into psobox")
	commit := fs.String("commit", "", "commit stamped into psobox")
	pwFile := fs.String("password-file", "", "`file` holding the gokrazy web interface password (default: a new random one)")
	xz := fs.Bool("xz", false, "also write IMAGE.xz")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return errors.New("build: -out is required and takes no arguments")
	}
	in, err := image.LoadInstance(*instance)
	if err != nil {
		return err
	}
	password, err := readPassword(*pwFile)
	if err != nil {
		return err
	}
	built, err := image.Build(ctx, image.BuildOptions{Instance: in, Output: *out, Version: *version,
		Commit: *commit, Password: password, Log: stderr})
	if err != nil {
		return err
	}
	printReport(stdout, built.Image, built.Report)
	if password == "" {
		if err := savePassword(stdout, *out, built.Password); err != nil {
			return err
		}
	}
	if *xz {
		return compress(ctx, stdout, *out)
	}
	return nil
}

func check(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	instance := fs.String("instance", "gokrazy/rpi", "instance `directory` the image was built from")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("check: give exactly one image")
	}
	in, err := image.LoadInstance(*instance)
	if err != nil {
		return err
	}
	report, err := image.Check(ctx, fs.Arg(0), in)
	if err != nil {
		return err
	}
	printReport(stdout, fs.Arg(0), report)
	return nil
}

func configure(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("configure", flag.ContinueOnError)
	instance := fs.String("instance", "gokrazy/rpi", "instance `directory` the image was built from")
	cfg := fs.String("config", "", "psobox config `file` to install as "+image.ConfigPath)
	pwFile := fs.String("password-file", "", "`file` holding a new gokrazy web interface password")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("configure: give exactly one image")
	}
	in, err := image.LoadInstance(*instance)
	if err != nil {
		return err
	}
	password, err := readPassword(*pwFile)
	if err != nil {
		return err
	}
	report, err := image.Configure(ctx, fs.Arg(0), in, image.Changes{Config: *cfg, Password: password})
	if err != nil {
		return err
	}
	printReport(stdout, fs.Arg(0), report)
	return nil
}

func update(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("update", flag.ContinueOnError)
	host := fs.String("host", "10.55.0.1", "the running psobox's `address` (port 80, gokrazy's web interface)")
	pwFile := fs.String("password-file", "", "`file` holding the web interface password of the software running now (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *pwFile == "" {
		return errors.New("update: give -password-file and exactly one image")
	}
	password, err := readPassword(*pwFile)
	if err != nil {
		return err
	}
	if err := image.Update(ctx, fs.Arg(0), *host, password, http.DefaultClient, stdout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "update sent; %s is rebooting into it\n", *host)
	return nil
}

func readPassword(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	pw := strings.TrimSpace(string(data))
	if pw == "" || strings.ContainsAny(pw, " \t\n:@/") {
		return "", fmt.Errorf("%s: the password must be one word without ':', '@' or '/'", path)
	}
	return pw, nil
}

func savePassword(stdout io.Writer, img, password string) error {
	path := strings.TrimSuffix(img, ".img") + ".password.txt"
	if err := os.WriteFile(path, []byte(password+"\n"), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "gokrazy web interface: user gokrazy, password in %s\n", path)
	return nil
}

// compress writes IMAGE.xz beside the image (xz-utils), multi-threaded.
func compress(ctx context.Context, stdout io.Writer, img string) error {
	cmd := exec.CommandContext(ctx, "xz", "--threads=0", "-6", "--keep", "--force", img)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("xz %s: %w: %s", img, err, out)
	}
	fmt.Fprintf(stdout, "compressed: %s.xz\n", img)
	return nil
}

func printReport(w io.Writer, img string, r *image.Report) {
	fmt.Fprintf(w, "%s: checked\n", img)
	for _, p := range r.Partitions {
		fmt.Fprintf(w, "  partition %d  %5d MiB  %s  %s\n", p.Number, p.Size()>>20, p.Type, p.GUID)
	}
	fmt.Fprintf(w, "  boot: %d files; cmdline: %s\n", r.BootFiles, r.Cmdline)
	fmt.Fprintf(w, "  root (partition %d): %d entries; /user/psobox: %s\n", r.Root, len(r.RootFiles), r.Psobox)
	fmt.Fprintf(w, "  %s: mode %s, interface %q, address %s, state %s, status %s\n", image.ConfigPath,
		r.Config.Mode, r.Config.Network.Interface, r.Config.Network.Address, r.Config.StateDirPath, r.Config.Status.Listen)
	fmt.Fprintf(w, "  /perm: ext4 %q, %d MiB\n", r.Perm.Label, r.Perm.Bytes>>20)
}
