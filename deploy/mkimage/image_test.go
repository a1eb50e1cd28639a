package main

import (
	"archive/tar"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/psobox/psobox/deploy/ociimage"
)

// fileLine is one file of the image as `ls -ln` would sum it up.
func fileLine(h tar.Header) string {
	kind := "-"
	if h.Typeflag == tar.TypeDir {
		kind = "d"
	}
	return fmt.Sprintf("%s%04o %d:%d /%s", kind, h.Mode, h.Uid, h.Gid, strings.TrimSuffix(h.Name, "/"))
}

// The image holds the two binaries, the user and two directories, and
// nothing else; only psobox has capabilities, permitted but not effective.
func TestImageLayout(t *testing.T) {
	l := testLayout(t)
	want := []string{
		"d0755 0:0 /etc", "-0644 0:0 /etc/passwd", "-0644 0:0 /etc/group", "d0755 0:0 /etc/psobox",
		"d0755 0:0 /var", "d0755 0:0 /var/lib", "d0750 65532:65532 /var/lib/psobox",
		"d0755 0:0 /usr", "d0755 0:0 /usr/bin", "-0755 0:0 /usr/bin/psobox", "-0755 0:0 /usr/bin/psobot",
	}
	for _, img := range l.Images {
		var got []string
		for _, layer := range img.Layers {
			for _, e := range layer {
				got = append(got, fileLine(e.Header))
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s files (-want +got):\n%s", img.Config.Platform, diff)
		}
		checkCaps(t, img)
		if passwd, _ := img.File("etc/passwd"); !strings.Contains(string(passwd.Data), "\npsobox:x:65532:65532:psobox:/var/lib/psobox:/sbin/nologin\n") {
			t.Errorf("%s /etc/passwd:\n%s", img.Config.Platform, passwd.Data)
		}
	}
	base := l.Images[0].Manifest.Layers[0].Digest
	for _, img := range l.Images[1:] {
		if img.Manifest.Layers[0].Digest != base {
			t.Errorf("%s: base layer %s differs from amd64's %s", img.Config.Platform, img.Manifest.Layers[0].Digest, base)
		}
	}
}

func checkCaps(t *testing.T, img ociimage.ReadImage) {
	t.Helper()
	psobox, _ := img.File("usr/bin/psobox")
	caps, err := psobox.Caps()
	want := ociimage.FileCaps{Permitted: 1<<ociimage.CapNetBindService | 1<<ociimage.CapNetRaw | 1<<ociimage.CapNetAdmin}
	if err != nil || caps == nil || *caps != want {
		t.Errorf("%s psobox capabilities %+v, %v; want %+v", img.Config.Platform, caps, err, want)
	}
	psobot, _ := img.File("usr/bin/psobot")
	if caps, err := psobot.Caps(); caps != nil || err != nil {
		t.Errorf("%s psobot has capabilities %+v, %v", img.Config.Platform, caps, err)
	}
}

// Every platform starts psobox as the unprivileged user with the state
// directory in the environment, and carries the labels.
func TestImageConfig(t *testing.T) {
	for _, img := range testLayout(t).Images {
		c := img.Config.Config
		if c.User != "65532:65532" || !cmp.Equal(c.Entrypoint, []string{"/usr/bin/psobox"}) || c.Cmd != nil {
			t.Errorf("%s: user %q, entrypoint %q, cmd %q", img.Config.Platform, c.User, c.Entrypoint, c.Cmd)
		}
		if !cmp.Equal(c.Env, []string{"PATH=/usr/bin", "STATE_DIRECTORY=/var/lib/psobox"}) {
			t.Errorf("%s: env %q", img.Config.Platform, c.Env)
		}
		for _, p := range []string{"53/udp", "53/tcp", "67/udp", "8080/tcp", "9000/tcp", "9100/tcp", "9500/tcp"} {
			if _, ok := c.ExposedPorts[p]; !ok {
				t.Errorf("%s: port %s not exposed", img.Config.Platform, p)
			}
		}
		for k, v := range map[string]string{"version": testVersion, "revision": "abc1234", "source": "https://github.com/psobox/psobox", "created": "2023-11-14T22:13:20Z"} {
			if got := c.Labels["org.opencontainers.image."+k]; got != v {
				t.Errorf("%s: label %s = %q, want %q", img.Config.Platform, k, got, v)
			}
		}
	}
}

func TestMkimageRefuses(t *testing.T) {
	empty := t.TempDir()
	for _, tc := range []struct {
		args []string
		env  string
		want string
	}{
		{[]string{"-bin", empty}, "", filepath.Join(empty, "psobox-linux-amd64") + ": no such file or directory (make cross builds it)"},
		{[]string{"-bin", empty}, "yesterday", `SOURCE_DATE_EPOCH="yesterday": want seconds since 1970`},
		{[]string{"extra"}, "", `unexpected argument "extra"`},
		{[]string{"-nope"}, "", "flag provided but not defined: -nope"},
	} {
		getenv := func(string) string { return tc.env }
		err := run(append(tc.args, "-o", filepath.Join(empty, "out.tar")), getenv, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("mkimage %q (SOURCE_DATE_EPOCH=%q): %v, want an error saying %q", tc.args, tc.env, err, tc.want)
		}
	}
	if matches, _ := filepath.Glob(filepath.Join(empty, "out.tar*")); len(matches) != 0 {
		t.Errorf("failed runs left files behind: %q", matches)
	}
}
