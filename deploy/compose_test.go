package deploy

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/google/go-cmp/cmp"
)

// loadCompose loads a compose file the way `docker compose config` does
// (compose-go: the Compose specification's JSON schema, interpolation,
// normalization), with env as the only environment.
func loadCompose(t *testing.T, file string, env map[string]string) (*types.Project, error) {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  dir,
		ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(dir, file)}},
		Environment: env,
	})
}

// theService is the project's one service, psobox.
func theService(t *testing.T, file string, env map[string]string) types.ServiceConfig {
	t.Helper()
	p, err := loadCompose(t, file, env)
	if err != nil {
		t.Fatalf("%s does not load as a compose file: %v", file, err)
	}
	if names := p.ServiceNames(); !cmp.Equal(names, []string{"psobox"}) {
		t.Fatalf("%s: services %q, want only psobox", file, names)
	}
	return p.Services["psobox"]
}

// The rules both files follow: the published image run as its own
// unprivileged user, every capability dropped but the listed ones, a
// read-only root, the config mounted read-only, state in a named volume,
// restarted unless stopped, and a health check with the same config.
func checkCommon(t *testing.T, file string, s types.ServiceConfig, caps []string) {
	t.Helper()
	config := []string{"-config", ConfigPath}
	checks := []struct {
		what      string
		got, want any
	}{
		{"image", s.Image, "ghcr.io/psobox/psobox:latest"},
		{"command", []string(s.Command), config},
		{"user (empty: the image's)", s.User, ""},
		{"privileged", s.Privileged, false},
		{"cap_drop", s.CapDrop, []string{"ALL"}},
		{"cap_add", sorted(s.CapAdd), sorted(caps)},
		{"read_only", s.ReadOnly, true},
		{"restart", s.Restart, "unless-stopped"},
		{"healthcheck", healthTest(s), append(append([]string{"CMD", PsoboxPath}, config...), "-healthcheck")},
		{"mounts", mounts(s), []string{"bind ro " + ConfigPath, "volume rw psobox-state:" + StateDir}},
	}
	for _, c := range checks {
		if diff := cmp.Diff(c.want, c.got); diff != "" {
			t.Errorf("%s: %s (-want +got):\n%s", file, c.what, diff)
		}
	}
	for _, opt := range s.SecurityOpt {
		if strings.HasPrefix(opt, "no-new-privileges") {
			t.Errorf("%s: security_opt %q voids psobox's file capabilities", file, opt)
		}
	}
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

func healthTest(s types.ServiceConfig) []string {
	if s.HealthCheck == nil || s.HealthCheck.Disable {
		return nil
	}
	return s.HealthCheck.Test
}

// mounts sums up the volumes as "type rw|ro [source:]target"; bind
// sources are host paths and left out.
func mounts(s types.ServiceConfig) []string {
	var out []string
	for _, v := range s.Volumes {
		mode, src := "rw", ""
		if v.ReadOnly {
			mode = "ro"
		}
		if v.Type == types.VolumeTypeVolume {
			src = v.Source + ":"
		}
		if v.Type == types.VolumeTypeBind && (v.Bind == nil || v.Bind.CreateHostPath) {
			mode += " (creates a missing source)"
		}
		out = append(out, v.Type+" "+mode+" "+src+v.Target)
	}
	return out
}

// configSource is the host file mounted as the config.
func configSource(s types.ServiceConfig) string {
	for _, v := range s.Volumes {
		if v.Target == ConfigPath {
			return v.Source
		}
	}
	return ""
}

// compose.yaml: island and home mode need the host's network (DHCP is
// layer-2 broadcast) and NET_ADMIN, and publish nothing.
func TestApplianceCompose(t *testing.T) {
	s := theService(t, "compose.yaml", nil)
	checkCommon(t, "compose.yaml", s, []string{"NET_BIND_SERVICE", "NET_RAW", "NET_ADMIN"})
	if s.NetworkMode != "host" || len(s.Ports) != 0 {
		t.Errorf("compose.yaml: network_mode %q with ports %v; want host networking and no ports", s.NetworkMode, s.Ports)
	}
	if got, want := configSource(s), abs(t, "psobox.island.toml"); got != want {
		t.Errorf("compose.yaml mounts %s as the config by default, want %s", got, want)
	}
	home := theService(t, "compose.yaml", map[string]string{"PSOBOX_CONFIG": "./psobox.home.toml", "PSOBOX_IMAGE": "ghcr.io/psobox/psobox:v1.0.0"})
	if got, want := configSource(home), abs(t, "psobox.home.toml"); got != want {
		t.Errorf("compose.yaml with PSOBOX_CONFIG=./psobox.home.toml mounts %s, want %s", got, want)
	}
	if home.Image != "ghcr.io/psobox/psobox:v1.0.0" {
		t.Errorf("compose.yaml with PSOBOX_IMAGE set runs %s", home.Image)
	}
}

// compose.server.yaml: no DHCP, so a bridged network publishing DNS and
// the game ports on every address, the status page on loopback only, and
// nothing else (no 67).
func TestServerCompose(t *testing.T) {
	s := theService(t, "compose.server.yaml", nil)
	checkCommon(t, "compose.server.yaml", s, []string{"NET_BIND_SERVICE"})
	if s.NetworkMode != "" {
		t.Errorf("compose.server.yaml: network_mode %q, want the default bridged network", s.NetworkMode)
	}
	want := []string{fmt.Sprintf(":%d->%d/udp", DNSPort, DNSPort), fmt.Sprintf(":%d->%d/tcp", DNSPort, DNSPort)}
	for _, p := range GamePorts() {
		want = append(want, fmt.Sprintf(":%d->%d/tcp", p, p))
	}
	want = append(want, fmt.Sprintf("127.0.0.1:%d->%d/tcp", StatusPort, StatusPort))
	var got []string
	for _, p := range s.Ports {
		got = append(got, fmt.Sprintf("%s:%s->%d/%s", p.HostIP, p.Published, p.Target, p.Protocol))
	}
	if diff := cmp.Diff(sorted(want), sorted(got)); diff != "" {
		t.Errorf("compose.server.yaml published ports (-want +got):\n%s", diff)
	}
	if got, want := configSource(s), abs(t, "psobox.server.toml"); got != want {
		t.Errorf("compose.server.yaml mounts %s as the config, want %s", got, want)
	}
}

func abs(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The schema check is real: a misspelt key or a bad value in a copy of
// compose.yaml is refused.
func TestComposeSchemaRefusesMistakes(t *testing.T) {
	good, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ from, to, want string }{
		{"cap_drop:", "cap_dorp:", "cap_dorp"},
		{"network_mode: host", "network_mode: [host]", "network_mode"},
		{"interval: 30s", "interval: soon", "soon"},
	} {
		broken := strings.Replace(string(good), tc.from, tc.to, 1)
		if broken == string(good) {
			t.Fatalf("compose.yaml no longer has %q; update the test", tc.from)
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(broken), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := loader.LoadWithContext(context.Background(), types.ConfigDetails{
			WorkingDir: dir, ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(dir, "compose.yaml")}},
		})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q -> %q: error %v, want one naming %q", tc.from, tc.to, err, tc.want)
		}
	}
}

// Where a compose client exists (GitHub's runners have one), it must
// accept both files too.
func TestDockerComposeConfig(t *testing.T) {
	docker, err := exec.LookPath("docker")
	if err != nil || exec.Command(docker, "compose", "version").Run() != nil {
		t.Skip("no `docker compose` client here (no docker CLI, or no compose plugin); the compose-go checks stand in for it")
	}
	for _, file := range []string{"compose.yaml", "compose.server.yaml"} {
		if out, err := exec.Command(docker, "compose", "-f", file, "config", "--quiet").CombinedOutput(); err != nil {
			t.Errorf("docker compose -f %s config: %v\n%s", file, err, out)
		}
	}
}
