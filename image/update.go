package image

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"syscall"

	"github.com/gokrazy/updater"
)

// Update installs a built image on a running psobox over the network with
// gokrazy's update protocol (github.com/gokrazy/updater, the library gok
// uses): the image's root file system goes to the device's inactive root
// partition, then its boot partition replaces the device's, then the
// device switches roots and reboots. /perm, with psobox's state, is kept.
// host is the device's address, optionally with the web interface port;
// password is the web interface password of the software running now.
// client carries the requests (it may dial through a test's namespace).
func Update(ctx context.Context, img, host, password string, client updater.HTTPDoer, log io.Writer) error {
	if log == nil {
		log = io.Discard
	}
	base := (&url.URL{Scheme: "http", User: url.UserPassword("gokrazy", password), Host: host, Path: "/"}).String()
	target, err := updater.NewTarget(ctx, base, client)
	if err != nil {
		return fmt.Errorf("update %s: %w", host, err)
	}
	f, err := os.Open(img)
	if err != nil {
		return err
	}
	defer f.Close()
	root, boot, err := updateParts(ctx, img, f)
	if err != nil {
		return err
	}
	// Root first: writing the inactive partition cannot break the running
	// system; the boot partition is only replaced once the root is there.
	for _, step := range []struct {
		dest string
		part *io.SectionReader
	}{{"root", root}, {"boot", boot}} {
		fmt.Fprintf(log, "update %s: sending %s (%d MiB)\n", host, step.dest, step.part.Size()>>20)
		if err := target.StreamTo(ctx, step.dest, step.part); err != nil {
			return fmt.Errorf("update %s: %s: %w", host, step.dest, err)
		}
	}
	if err := target.Switch(ctx); err != nil {
		return fmt.Errorf("update %s: switch root partitions: %w", host, err)
	}
	fmt.Fprintf(log, "update %s: rebooting\n", host)
	// A full reboot rather than kexec: the firmware and bootloader run as
	// they will on the next power cycle.
	err = target.Reboot(ctx, updater.WithKexec(false))
	if rebootedBeforeAnswering(err) {
		fmt.Fprintf(log, "update %s: the device went down before answering the reboot request (%v)\n", host, err)
		err = nil
	}
	if err != nil {
		return fmt.Errorf("update %s: reboot: %w", host, err)
	}
	return nil
}

// rebootedBeforeAnswering: gokrazy may restart before its reply to
// /reboot is out; the request then ends with a reset or a closed
// connection, and the reboot is under way (gok treats it the same way).
func rebootedBeforeAnswering(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// updateParts returns readers of the image's active root file system (just
// the SquashFS, not the rest of its partition) and of its boot partition.
func updateParts(ctx context.Context, img string, f *os.File) (root, boot *io.SectionReader, err error) {
	rootPart, err := activeRoot(ctx, img)
	if err != nil {
		return nil, nil, err
	}
	used, err := squashfsBytesUsed(f, rootPart.Offset())
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", img, err)
	}
	bootPart, err := partitionOf(img, 1)
	if err != nil {
		return nil, nil, err
	}
	return io.NewSectionReader(f, rootPart.Offset(), used), io.NewSectionReader(f, bootPart.Offset(), bootPart.Size()), nil
}
