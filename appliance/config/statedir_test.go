package config

import (
	"path/filepath"
	"testing"
)

func TestStateDir(t *testing.T) {
	for _, tc := range []struct {
		name      string
		setting   string
		env       map[string]string
		gokrazy   bool
		want      string
		wantQuest string
	}{
		{name: "local default", want: "psobox-state", wantQuest: filepath.Join("psobox-state", "quests")},
		{name: "systemd", env: map[string]string{"STATE_DIRECTORY": "/var/lib/psobox"}, want: "/var/lib/psobox"},
		{name: "systemd several", env: map[string]string{"STATE_DIRECTORY": "/var/lib/psobox:/var/lib/other"}, want: "/var/lib/psobox"},
		{name: "gokrazy", gokrazy: true, want: "/perm/psobox"},
		{name: "systemd beats gokrazy", gokrazy: true, env: map[string]string{"STATE_DIRECTORY": "/s"}, want: "/s"},
		{name: "setting beats all", setting: "/data", gokrazy: true, env: map[string]string{"STATE_DIRECTORY": "/s"}, want: "/data"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Config{StateDirPath: tc.setting}
			h := Host{
				Getenv:  func(k string) string { return tc.env[k] },
				Gokrazy: func() bool { return tc.gokrazy },
			}
			if got := c.StateDirOn(h); got != tc.want {
				t.Errorf("StateDirOn = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDirsUnderStateDir(t *testing.T) {
	c := &Config{StateDirPath: "/st"}
	c.Game.BBKeyDir = "/keys"
	got := []string{c.QuestDir(), c.BBKeyDir(), c.CaptureDir()}
	want := []string{"/st/quests", "/keys", "/st/captures"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("dir %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestMountedAt(t *testing.T) {
	const mountinfo = `22 1 179:2 / / ro,relatime shared:1 - squashfs /dev/root ro
23 22 179:4 / /perm rw,relatime shared:2 - ext4 /dev/mmcblk0p4 rw
24 22 0:5 / /dev rw shared:3 - devtmpfs devtmpfs rw
`
	if !mountedAt(mountinfo, "/perm") {
		t.Error("mountedAt(/perm) = false, want true")
	}
	if mountedAt(mountinfo, "/perm/psobox") || mountedAt("", "/perm") {
		t.Error("mountedAt found a mount that is not there")
	}
}
