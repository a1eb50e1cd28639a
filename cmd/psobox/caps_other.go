//go:build !linux

package main

import "log/slog"

// logCapabilities does nothing: capabilities are Linux's.
func logCapabilities(*slog.Logger) {}
