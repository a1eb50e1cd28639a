// Package pkgtest tests what systemd/ ships: the unit files (checked with
// systemd-analyze verify and security), the default configuration, the
// maintainer scripts, and the Debian packages `make deb` builds (lintian,
// contents, and a real dpkg install and purge as root). It has no code of
// its own; tests skip with a message when a tool they need is missing.
package pkgtest
