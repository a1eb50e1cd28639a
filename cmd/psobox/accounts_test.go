package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/gameserver/accounts"
	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/server"
	"github.com/psobox/psobox/gameserver/server/servertest"
	"github.com/psobox/psobox/gameserver/wire"
)

// accountsTool runs `psobox <global...> accounts <args...>` in process and
// returns its output, the one line main would print and the exit status.
func accountsTool(t *testing.T, global []string, args ...string) (stdout, line string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), append(append(global, "accounts"), args...), &out, &errb)
	code = exitCode(err, &errb)
	return out.String(), strings.TrimSuffix(errb.String(), "\n"), code
}

// listRows is `accounts list -json` decoded, creation times checked and
// cleared so rows compare.
func listRows(t *testing.T, global []string) []licenceRow {
	t.Helper()
	out, line, code := accountsTool(t, global, "list", "-json")
	if code != 0 {
		t.Fatalf("list -json: exit %d: %s", code, line)
	}
	var rows []licenceRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("list -json: %v\n%s", err, out)
	}
	for i := range rows {
		if time.Since(rows[i].Created) > time.Hour {
			t.Errorf("%s %s created %v", rows[i].Kind, rows[i].Serial, rows[i].Created)
		}
		rows[i].Created = time.Time{}
	}
	return rows
}

func TestAccountsRoundTrip(t *testing.T) {
	global := []string{"-state-dir", filepath.Join(t.TempDir(), "state")}
	gc := licenceRow{Kind: "gc", Serial: "075BCD15", AccessKey: "****", Password: "****", GuildCard: accounts.FirstGuildCard}
	dc := licenceRow{Kind: "dc", Serial: "ABCD1234", AccessKey: "****", GuildCard: accounts.FirstGuildCard + 1}
	bannedGC := gc
	bannedGC.Banned = true
	for _, step := range []struct {
		args     []string
		wantOut  string
		wantRows []licenceRow
	}{
		// The GameCube serial as the console prints it: stored as it sends it.
		{[]string{"add", "-kind", "gc", "-serial", "0123456789", "-access-key", "111122223333", "-password", "secretpw"},
			"added gc 075BCD15: guild card 10000001\n", []licenceRow{gc}},
		{[]string{"add", "-kind", "DC", "-serial", "abcd1234", "-access-key", "KEYKEY12"},
			"added dc ABCD1234: guild card 10000002\n", []licenceRow{dc, gc}},
		{[]string{"ban", "-kind", "gc", "-serial", "075bcd15"}, "ban gc 075BCD15: done\n", []licenceRow{dc, bannedGC}},
		{[]string{"unban", "-kind", "gc", "-serial", "0123456789"}, "unban gc 075BCD15: done\n", []licenceRow{dc, gc}},
		{[]string{"remove", "-kind", "dc", "-serial", "ABCD1234"}, "remove dc ABCD1234: done\n", []licenceRow{gc}},
	} {
		out, line, code := accountsTool(t, global, step.args...)
		if code != 0 || out != step.wantOut {
			t.Fatalf("accounts %q = exit %d, %q, %q; want %q", step.args, code, out, line, step.wantOut)
		}
		if diff := cmp.Diff(step.wantRows, listRows(t, global)); diff != "" {
			t.Errorf("after accounts %q (-want +got):\n%s", step.args, diff)
		}
	}
}

func TestAccountsTableMasksSecrets(t *testing.T) {
	global := []string{"-state-dir", t.TempDir()}
	accountsTool(t, global, "add", "-kind", "gc", "-serial", "0123456789", "-access-key", "111122223333", "-password", "secretpw")
	accountsTool(t, global, "add", "-kind", "xb", "-serial", "0123456789ABCDEF")
	out, _, code := accountsTool(t, global, "list")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	var got [][]string
	for _, l := range lines {
		f := strings.Fields(l)
		got = append(got, append(f[:4:4], f[len(f)-1])) // the date's fields vary
	}
	want := [][]string{
		{"KIND", "SERIAL", "ACCESS", "KEY", "BANNED"},
		{"gc", "075BCD15", "****", "****", "no"},
		{"xb", "0123456789ABCDEF", "-", "-", "no"},
	}
	if diff := cmp.Diff(want, got); code != 0 || diff != "" {
		t.Errorf("list: exit %d (-want +got):\n%s\n%s", code, diff, out)
	}
	if strings.Contains(out, "111122223333") || strings.Contains(out, "secretpw") {
		t.Errorf("list shows a secret:\n%s", out)
	}
}

func TestAccountsRefusals(t *testing.T) {
	dir := t.TempDir()
	global := []string{"-state-dir", dir}
	accountsTool(t, global, "add", "-kind", "dc", "-serial", "ABCD1234", "-access-key", "KEYKEY12")
	db := filepath.Join(dir, accounts.FileName)
	for _, tc := range []struct {
		name     string
		global   []string
		args     []string
		wantCode int
		wantLine string
	}{
		{"duplicate add", global, []string{"add", "-kind", "dc", "-serial", "abcd1234", "-access-key", "OTHERKEY"}, 1,
			`psobox: accounts: licence already registered: dc "ABCD1234" (database ` + db + `)`},
		{"unknown kind", global, []string{"ban", "-kind", "n64", "-serial", "1"}, 2,
			`psobox: accounts: unknown licence kind "n64" (want dcnte, dc, pc, gc, xb or bb)`},
		{"missing serial", global, []string{"remove", "-kind", "gc"}, 2,
			"psobox: accounts remove: -kind and -serial are required"},
		{"missing access key", global, []string{"add", "-kind", "gc", "-serial", "0123456789"}, 2,
			"psobox: accounts add: -access-key is required for gc licences"},
		{"missing verb", global, nil, 2,
			"psobox: accounts: missing verb: list, add, remove, ban or unban (psobox accounts -h)"},
		{"unknown verb", global, []string{"delete"}, 2,
			`psobox: accounts: unknown verb "delete": want list, add, remove, ban or unban`},
		{"unknown flag", global, []string{"list", "-kind", "gc"}, 2,
			"psobox: accounts list: flag provided but not defined: -kind"},
		{"extra argument", global, []string{"list", "now"}, 2, `psobox: accounts list: unexpected argument "now"`},
		{"unknown licence", global, []string{"unban", "-kind", "gc", "-serial", "075BCD15"}, 1,
			`psobox: accounts: licence not registered: gc "075BCD15" (database ` + db + `)`},
		{"no database", []string{"-state-dir", filepath.Join(dir, "typo")}, []string{"list"}, 1,
			"psobox: no accounts database at " + filepath.Join(dir, "typo", accounts.FileName) +
				": is the state directory right (-state-dir, or state_dir in -config)? The game server or accounts add creates it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, line, code := accountsTool(t, tc.global, tc.args...)
			if diff := cmp.Diff(tc.wantLine, line); code != tc.wantCode || out != "" || diff != "" {
				t.Errorf("exit %d (want %d), stdout %q, stderr (-want +got):\n%s", code, tc.wantCode, out, diff)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "typo")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("list made the mistyped state directory: %v", err)
	}
}

// A running psobox holds the database's lock: the tool says so at once
// instead of waiting or failing obscurely.
func TestAccountsDatabaseInUse(t *testing.T) {
	dir := t.TempDir()
	held, err := accounts.OpenDir(dir, accounts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	_, line, code := accountsTool(t, []string{"-state-dir", dir}, "add", "-kind", "dc", "-serial", "ABCD1234", "-access-key", "K")
	want := "psobox: accounts database " + held.Path() + " is in use: psobox is running; stop it first (systemctl stop psobox) and try again"
	if diff := cmp.Diff(want, line); code != 1 || diff != "" {
		t.Errorf("exit %d, stderr (-want +got):\n%s", code, diff)
	}
}

// Run as root (systemd's DynamicUser state directory, or a root parent
// handing the directory to privileges.uid), the tool leaves a new database
// to the directory's owner, who could not open a root-owned 0600 file.
func TestAccountsNewDatabaseTakesDirOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to own files as another user")
	}
	dir := t.TempDir()
	if err := os.Chown(dir, 4242, 4243); err != nil {
		t.Fatal(err)
	}
	if _, line, code := accountsTool(t, []string{"-state-dir", dir}, "add", "-kind", "dc", "-serial", "ABCD1234", "-access-key", "K"); code != 0 {
		t.Fatal(line)
	}
	info, err := os.Stat(filepath.Join(dir, accounts.FileName))
	if err != nil {
		t.Fatal(err)
	}
	st := info.Sys().(*syscall.Stat_t)
	if st.Uid != 4242 || st.Gid != 4243 || info.Mode().Perm() != 0o600 {
		t.Errorf("accounts.db: uid %d gid %d mode %v, want 4242 4243 -rw-------", st.Uid, st.Gid, info.Mode())
	}
}

// The point of the tool: in registered mode a licence added with it logs
// in, an unknown one is refused, and a banned one is refused as suspended.
func TestAddedLicenceLogsInRegistered(t *testing.T) {
	dir := t.TempDir()
	global := []string{"-config", writeFile(t, "psobox.toml", "state_dir = \""+dir+"\"\n[game]\naccounts = \"registered\"\n")}
	if _, line, code := accountsTool(t, global, "add", "-kind", "gc", "-serial", "0123456789", "-access-key", "111122223333", "-password", "secretpw"); code != 0 {
		t.Fatal(line)
	}
	known := client.Config{Version: wire.GCV3, Name: "Known", Serial: "0123456789", AccessKey: "111122223333", Password: "secretpw"}
	unknown := known
	unknown.Serial = "0123456780"

	srv := startRegistered(t, dir)
	if err := login(t, srv, known); err != nil {
		t.Errorf("added licence: %v", err)
	}
	wantRefusal(t, login(t, srv, unknown), wire.LicenseBadSerial)
	if _, line, _ := accountsTool(t, global, "list"); !strings.Contains(line, "is in use: psobox is running") {
		t.Errorf("list while the server runs: %q", line)
	}
	srv.Stop()

	if _, line, code := accountsTool(t, global, "ban", "-kind", "gc", "-serial", "0123456789"); code != 0 {
		t.Fatal(line)
	}
	wantRefusal(t, login(t, startRegistered(t, dir), known), wire.LicenseSuspended)
}

func startRegistered(t *testing.T, dir string) *servertest.Server {
	opts := servertest.Options()
	opts.Accounts, opts.StateDir = server.AccountsRegistered, dir
	return servertest.Start(t, opts)
}

// login logs a GameCube in on the server's loopback port and leaves.
func login(t *testing.T, srv *servertest.Server, cfg client.Config) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := client.Dial(ctx, srv.Addr(9103), cfg)
	if err != nil {
		return err
	}
	if c.GuildCard() != accounts.FirstGuildCard {
		t.Errorf("guild card %d, want the one add printed (%d)", c.GuildCard(), accounts.FirstGuildCard)
	}
	return c.Close()
}

func wantRefusal(t *testing.T, err error, code uint32) {
	t.Helper()
	var re *client.RefusedError
	if !errors.As(err, &re) || re.Code != code {
		t.Errorf("login: %v; want a refusal with code %02X", err, code)
	}
}
