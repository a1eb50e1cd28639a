package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/psobox/psobox/appliance/app"
	"github.com/psobox/psobox/appliance/config"
	"github.com/psobox/psobox/internal/version"
)

// flags are psobox's command line.
type flags struct {
	config, stateDir                  string
	printConfig, version, healthcheck bool
	// accounts holds what follows the accounts subcommand (nil: none).
	accounts []string
}

// usageError is a bad command line (exit status 2).
type usageError struct{ error }

func parseFlags(args []string, stdout io.Writer) (flags, error) {
	var f flags
	fs := flag.NewFlagSet("psobox", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported in one line by main
	fs.StringVar(&f.config, "config", "", "TOML config `file` (default: the built-in defaults)")
	fs.StringVar(&f.stateDir, "state-dir", "", "state `directory`; overrides state_dir in the config")
	fs.BoolVar(&f.printConfig, "print-config", false, "print the effective config as TOML and exit")
	fs.BoolVar(&f.version, "version", false, "print the version and exit")
	fs.BoolVar(&f.healthcheck, "healthcheck", false, "ask the running psobox's status page (status.listen of -config) for /healthz; exit 0 if healthy, 1 if not")
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		fmt.Fprintln(stdout, "Usage: psobox [flags]\n       psobox [-config FILE] [-state-dir DIR] accounts VERB ... (psobox accounts -h)\n\n"+
			"The PSO LAN-party appliance; keys of the config file are in docs/config.md.\n\nFlags:")
		fs.PrintDefaults()
		return f, err
	case err != nil:
		return f, usageError{fmt.Errorf("%w (psobox -h lists the flags)", err)}
	case fs.Arg(0) == "accounts":
		f.accounts = fs.Args()[1:]
	case fs.NArg() > 0:
		return f, usageError{fmt.Errorf("unexpected argument %q (psobox -h lists the flags)", fs.Arg(0))}
	}
	return f, nil
}

// run is psobox from command line to shutdown; main only adds the signal
// context and the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseFlags(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if f.version {
		_, err := fmt.Fprintf(stdout, "psobox %s\n", version.String())
		return err
	}
	if f.accounts != nil {
		return runAccounts(f, f.accounts, stdout)
	}
	cfg, err := loadConfig(f, readConfig)
	if err != nil {
		return err
	}
	if f.printConfig {
		return printConfig(cfg, stdout)
	}
	if f.healthcheck {
		return healthcheck(ctx, cfg, stdout)
	}
	logger, level := newLogger(cfg, stderr)
	return serve(ctx, cfg, logger, app.Options{Reload: reloader(f), LogLevel: level})
}

// loadConfig reads the config with read (readConfig at start-up,
// config.Load on reload) and lets the command line win over the file.
func loadConfig(f flags, read func(path string) (*config.Config, error)) (*config.Config, error) {
	cfg, err := read(f.config)
	if err != nil {
		return nil, err
	}
	if f.stateDir != "" {
		cfg.StateDirPath = f.stateDir
	}
	return cfg, nil
}

// reloader re-reads the configuration FILE on SIGHUP (an unprivileged
// child's inherited start-up config is not re-read), with the state
// directory resolved as at start-up, so an unchanged file reads back
// unchanged.
func reloader(f flags) func() (*config.Config, error) {
	return func() (*config.Config, error) {
		cfg, err := loadConfig(f, config.Load)
		if err != nil {
			return nil, err
		}
		if err := pinStateDir(cfg); err != nil {
			return nil, err
		}
		return cfg, nil
	}
}

func printConfig(cfg *config.Config, stdout io.Writer) error {
	text, err := cfg.TOML()
	if err != nil {
		return err
	}
	_, err = stdout.Write(text)
	return err
}

// newLogger writes log/slog records to w in the configured format, at a
// level a reload can change.
func newLogger(cfg *config.Config, w io.Writer) (*slog.Logger, *slog.LevelVar) {
	level := new(slog.LevelVar)
	level.Set(cfg.SlogLevel())
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts)), level
	}
	return slog.New(slog.NewTextHandler(w, opts)), level
}

// serve creates the state directory and runs the appliance until ctx is
// cancelled.
func serve(ctx context.Context, cfg *config.Config, logger *slog.Logger, opts app.Options) error {
	logCapabilities(logger.With("component", "psobox"))
	if err := pinStateDir(cfg); err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.StateDirPath, 0o750); err != nil {
		return fmt.Errorf("state directory: %w", err)
	}
	return app.Run(ctx, cfg, logger, opts)
}

// pinStateDir resolves the state directory to an absolute path and pins
// it in cfg, so every later path derives from the same place.
func pinStateDir(cfg *config.Config) error {
	dir, err := filepath.Abs(cfg.StateDir())
	if err != nil {
		return fmt.Errorf("state directory: %w", err)
	}
	cfg.StateDirPath = dir
	return nil
}
