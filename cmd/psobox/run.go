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
		fmt.Fprintln(stdout, "Usage: psobox [flags]\n\nThe PSO LAN-party appliance; keys of the config file are in docs/config.md.\n\nFlags:")
		fs.PrintDefaults()
		return f, err
	case err != nil:
		return f, usageError{fmt.Errorf("%w (psobox -h lists the flags)", err)}
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
	cfg, err := config.Load(f.config)
	if err != nil {
		return err
	}
	if f.stateDir != "" {
		cfg.StateDirPath = f.stateDir
	}
	if f.printConfig {
		return printConfig(cfg, stdout)
	}
	if f.healthcheck {
		return healthcheck(ctx, cfg, stdout)
	}
	return serve(ctx, cfg, newLogger(cfg, stderr))
}

func printConfig(cfg *config.Config, stdout io.Writer) error {
	text, err := cfg.TOML()
	if err != nil {
		return err
	}
	_, err = stdout.Write(text)
	return err
}

// newLogger writes log/slog records to w in the configured format.
func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.SlogLevel()}
	if cfg.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// serve prepares the state directory and runs the appliance until ctx is
// cancelled.
func serve(ctx context.Context, cfg *config.Config, logger *slog.Logger) error {
	logCapabilities(logger.With("component", "psobox"))
	if _, err := prepareStateDir(cfg); err != nil {
		return err
	}
	return app.Run(ctx, cfg, logger)
}

// prepareStateDir resolves the state directory to an absolute path, pins
// it in cfg so every later path derives from the same place, and creates
// it when missing.
func prepareStateDir(cfg *config.Config) (string, error) {
	dir, err := filepath.Abs(cfg.StateDir())
	if err != nil {
		return "", fmt.Errorf("state directory: %w", err)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("state directory: %w", err)
	}
	cfg.StateDirPath = dir
	return dir, nil
}
