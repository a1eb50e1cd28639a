package main

import (
	"fmt"
	"log/slog"
	"runtime"
	"syscall"
	"unsafe"

	"github.com/psobox/psobox/appliance/privdrop"
	"golang.org/x/sys/unix"
)

// raiseCapabilities makes every permitted capability effective, on every
// thread of the process (capabilities are per thread). The container image
// gives psobox its capabilities as permitted-only file capabilities: the
// effective bit would make the kernel refuse to start psobox in a
// container that grants fewer of them, and it clears the ambient set that
// podman uses. Under systemd (ambient) and as root everything permitted is
// already effective, and nothing changes.
func raiseCapabilities() (privdrop.CapSet, error) {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		return 0, fmt.Errorf("capget: %w", err)
	}
	permitted := privdrop.CapSet(data[0].Permitted) | privdrop.CapSet(data[1].Permitted)<<32
	effective := privdrop.CapSet(data[0].Effective) | privdrop.CapSet(data[1].Effective)<<32
	if effective == permitted {
		return effective, nil
	}
	data[0].Effective, data[1].Effective = data[0].Permitted, data[1].Permitted
	// AllThreadsSyscall refuses (ENOTSUP) in a cgo binary; release builds
	// and the image are static (CGO_ENABLED=0).
	_, _, errno := syscall.AllThreadsSyscall(unix.SYS_CAPSET,
		uintptr(unsafe.Pointer(&hdr)), uintptr(unsafe.Pointer(&data[0])), 0)
	runtime.KeepAlive(&hdr)
	runtime.KeepAlive(&data)
	if errno != 0 {
		return effective, fmt.Errorf("capset on every thread: %w (a cgo build cannot; build with CGO_ENABLED=0)", errno)
	}
	return permitted, nil
}

// logCapabilities raises the permitted capabilities and logs the ones
// psobox's services need, so that a "bind: permission denied" later is
// easy to explain.
func logCapabilities(logger *slog.Logger) {
	caps, err := raiseCapabilities()
	if err != nil {
		logger.Warn("capabilities", "err", err)
	}
	logger.Info("capabilities",
		"net_bind_service", caps.Has(privdrop.CapNetBindService),
		"net_raw", caps.Has(privdrop.CapNetRaw),
		"net_admin", caps.Has(privdrop.CapNetAdmin))
}
