// Package systemd is psobox's side of the systemd service contract: it
// reports readiness, status lines and reloads over sd_notify, pings the
// watchdog only while self-probes of the running services pass, and turns
// sockets systemd passed in (socket activation) into the listeners the DNS
// and DHCP servers take.
//
// Everything here is a no-op when psobox does not run under systemd
// (gokrazy, a container, a terminal): without NOTIFY_SOCKET nothing is
// sent, without WATCHDOG_USEC no watchdog runs, and without LISTEN_FDS the
// services bind their own sockets.
package systemd
