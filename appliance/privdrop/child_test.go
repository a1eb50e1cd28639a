package privdrop

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/psobox/psobox/internal/testenv"
)

// TestMain plays the child when this test binary is started by Start: it
// reports what it received and who it runs as, as JSON on stdout.
func TestMain(m *testing.M) {
	if DefaultHost().Child() {
		os.Exit(playChild())
	}
	os.Exit(m.Run())
}

type childReport struct {
	Config   string
	Identity Identity
}

func playChild() int {
	config, ok, err := Inherited(DefaultHost())
	if err != nil || !ok {
		fmt.Fprintln(os.Stderr, "child:", ok, err)
		return 3
	}
	id, err := ReadIdentity(0)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 3
	}
	if err := json.NewEncoder(os.Stdout).Encode(childReport{string(config), id}); err != nil {
		return 3
	}
	return 0
}

// The gokrazy case: root starts the child as nobody with exactly the two
// capabilities the services need, ambient, and nothing else.
func TestStartDropsToNobodyWithTwoCaps(t *testing.T) {
	testenv.RequireRoot(t)
	var out, errb bytes.Buffer
	c, err := Start(Options{
		UID: 65534, GID: 65534,
		Caps:   []Cap{CapNetBindService, CapNetRaw},
		Config: []byte("mode = \"island\"\n"),
		Stdout: &out, Stderr: &errb,
	})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	if err := c.Err(); err != nil {
		t.Fatalf("child: %v; stderr %s", err, errb.String())
	}
	var got childReport
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("child's report %q: %v", out.String(), err)
	}
	two := SetOf(CapNetBindService, CapNetRaw)
	want := childReport{Config: "mode = \"island\"\n", Identity: Identity{
		UIDs: [4]int{65534, 65534, 65534, 65534}, GIDs: [4]int{65534, 65534, 65534, 65534},
		Inheritable: two, Permitted: two, Effective: two, Ambient: two,
		Bounding: got.Identity.Bounding, NoNewPrivs: true,
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("child (-want +got):\n%s", diff)
	}
}

func TestStartFailsClearly(t *testing.T) {
	_, err := Start(Options{Path: "/nonexistent/psobox", UID: 65534, GID: 65534})
	if err == nil {
		t.Fatal("Start of a missing program succeeded")
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "start the unprivileged child: fork/exec /nonexistent/psobox: ") {
		t.Errorf("Start = %q, want it to name the program", msg)
	}
}

// A child that already exited can be signalled without an error (the
// parent forwards a late SIGTERM), and its exit status is reported.
func TestSignalAfterExit(t *testing.T) {
	testenv.RequireRoot(t)
	c, err := Start(Options{Path: "/bin/sh", Args: []string{"-c", "exit 7"}, UID: 65534, GID: 65534})
	if err != nil {
		t.Fatal(err)
	}
	<-c.Done()
	if err := c.Signal(syscall.SIGTERM); err != nil {
		t.Errorf("Signal after exit = %v", err)
	}
	if err := c.Err(); err == nil || err.Error() != "exit status 7" {
		t.Errorf("Err = %v, want exit status 7", err)
	}
}
