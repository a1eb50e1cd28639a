package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"time"

	"github.com/psobox/psobox/appliance/config"
)

// healthTimeout bounds one health check; compose's own timeout is longer.
const healthTimeout = 5 * time.Second

// healthcheck asks the running psobox for /healthz on the status page
// that cfg describes, and returns nil when it answers 200. It is
// `psobox -healthcheck`: container images have no shell or curl, so
// compose's health check runs psobox itself.
func healthcheck(ctx context.Context, cfg *config.Config, stdout io.Writer) error {
	url, err := healthURL(cfg)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health check: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health check: GET %s: %s", url, resp.Status)
	}
	_, err = fmt.Fprintf(stdout, "healthy: GET %s: %s\n", url, resp.Status)
	return err
}

// healthURL is /healthz at status.listen, by loopback when status listens
// on every address.
func healthURL(cfg *config.Config) (string, error) {
	if !cfg.Status.Enabled {
		return "", errors.New("health check: the status page is disabled (status.enabled = false); there is nothing to ask")
	}
	host, port, err := net.SplitHostPort(cfg.Status.Listen)
	if err != nil {
		return "", fmt.Errorf("health check: status.listen %q: %w", cfg.Status.Listen, err)
	}
	if port == "0" {
		return "", fmt.Errorf("health check: status.listen %q: the kernel picks the port, so it cannot be checked", cfg.Status.Listen)
	}
	addr := netip.IPv4Unspecified()
	if host != "" {
		if addr, err = netip.ParseAddr(host); err != nil {
			return "", fmt.Errorf("health check: status.listen %q: %w", cfg.Status.Listen, err)
		}
	}
	switch {
	case addr.IsUnspecified() && addr.Is6():
		addr = netip.IPv6Loopback()
	case addr.IsUnspecified():
		addr = netip.AddrFrom4([4]byte{127, 0, 0, 1})
	}
	return "http://" + net.JoinHostPort(addr.String(), port) + "/healthz", nil
}
