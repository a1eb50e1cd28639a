package app

import (
	"context"
	"errors"
	"io/fs"
	"testing"

	"github.com/psobox/psobox/appliance/config"
	"github.com/psobox/psobox/appliance/netsetup"
	"github.com/psobox/psobox/appliance/privdrop"
)

func host(euid int, env map[string]string, gokrazy bool) privdrop.Host {
	return privdrop.Host{
		Geteuid: func() int { return euid },
		Getenv:  func(k string) string { return env[k] },
		Stat: func(p string) (fs.FileInfo, error) {
			if gokrazy && p == "/gokrazy/init" {
				return nil, nil
			}
			return nil, fs.ErrNotExist
		},
	}
}

func TestRoleOf(t *testing.T) {
	auto, always := parse(t, islandTOML), parse(t, islandTOML+"[privileges]\ndrop = \"always\"\n")
	child := map[string]string{privdrop.ChildEnv: "3"}
	for _, tc := range []struct {
		name string
		cfg  *config.Config
		h    privdrop.Host
		want role
	}{
		{"root under gokrazy drops", auto, host(0, nil, true), roleParent},
		{"root on first start under gokrazy drops", auto, host(0, map[string]string{"GOKRAZY_FIRST_START": "1"}, false), roleParent},
		{"root elsewhere keeps root by default", auto, host(0, nil, false), roleAll},
		{"root elsewhere drops when told", always, host(0, nil, false), roleParent},
		{"unprivileged (systemd) does everything itself", always, host(998, nil, true), roleAll},
		{"the child runs services only", always, host(65534, child, true), roleServices},
	} {
		if got := roleOf(tc.cfg, tc.h); got != tc.want {
			t.Errorf("%s: role %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestChildResult(t *testing.T) {
	replaced := &netsetup.ReplacedError{Interface: "eth0", Old: 2, New: 7}
	for _, tc := range []struct {
		err, cause error
		want       string
	}{
		{nil, nil, ""},
		{errors.New("exit status 1"), nil, "services: exit status 1"},
		{errors.New("exit status 1"), contextCanceled(), "services: exit status 1"},
		{nil, replaced, ""}, // release reports the network's error
	} {
		got := ""
		if err := childResult(tc.err, tc.cause); err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("childResult(%v, %v) = %q, want %q", tc.err, tc.cause, got, tc.want)
		}
	}
}

func contextCanceled() error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return context.Cause(ctx)
}
