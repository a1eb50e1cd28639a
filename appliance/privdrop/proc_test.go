package privdrop

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A made-up status of a process as the child should be, in the kernel's
// layout (lines this package ignores included).
const sampleStatus = `Name:	psobox
Umask:	0022
State:	S (sleeping)
Pid:	4242
Uid:	65534	65534	65534	65534
Gid:	65534	65534	65534	65534
FDSize:	64
Groups:	
CapInh:	0000000000002400
CapPrm:	0000000000002400
CapEff:	0000000000002400
CapBnd:	000001ffffffffff
CapAmb:	0000000000002400
NoNewPrivs:	1
Seccomp:	0
`

func TestParseStatus(t *testing.T) {
	got, err := parseStatus(sampleStatus)
	if err != nil {
		t.Fatal(err)
	}
	two := SetOf(CapNetBindService, CapNetRaw)
	want := Identity{
		UIDs: [4]int{65534, 65534, 65534, 65534}, GIDs: [4]int{65534, 65534, 65534, 65534},
		Inheritable: two, Permitted: two, Effective: two, Ambient: two,
		Bounding: 0x1ffffffffff, NoNewPrivs: true,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parseStatus (-want +got):\n%s", diff)
	}
}

func TestParseStatusRefusesDamage(t *testing.T) {
	for name, text := range map[string]string{
		"missing line": strings.Replace(sampleStatus, "CapAmb:\t0000000000002400\n", "", 1),
		"short uid":    strings.Replace(sampleStatus, "Uid:\t65534\t65534\t65534\t65534", "Uid:\t65534", 1),
		"bad hex":      strings.Replace(sampleStatus, "CapEff:\t0000000000002400", "CapEff:\tzz", 1),
		"bad group":    strings.Replace(sampleStatus, "Groups:\t", "Groups:\tstaff", 1),
		"empty":        "",
	} {
		if _, err := parseStatus(text); err == nil {
			t.Errorf("%s: parsed without an error", name)
		}
	}
}

func FuzzParseStatus(f *testing.F) {
	f.Add(sampleStatus)
	if own, err := os.ReadFile("/proc/self/status"); err == nil {
		f.Add(string(own))
	}
	f.Fuzz(func(t *testing.T, text string) {
		id, err := parseStatus(text)
		if err == nil && len(id.Groups) > len(text) {
			t.Errorf("more groups than bytes")
		}
	})
}

// This process's own status parses: the format matches the running kernel.
func TestReadIdentitySelf(t *testing.T) {
	id, err := ReadIdentity(0)
	if err != nil {
		t.Fatal(err)
	}
	if id.UIDs[1] != os.Geteuid() || id.GIDs[1] != os.Getegid() {
		t.Errorf("ReadIdentity = %+v, want euid %d egid %d", id, os.Geteuid(), os.Getegid())
	}
}

func TestCapSetString(t *testing.T) {
	for _, tc := range []struct {
		set  CapSet
		want string
	}{
		{0, "none"},
		{SetOf(CapNetBindService, CapNetRaw), "cap_net_bind_service,cap_net_raw"},
		{SetOf(CapNetAdmin, 40), "cap_net_admin,cap_40"},
	} {
		if got := tc.set.String(); got != tc.want {
			t.Errorf("%#x.String() = %q, want %q", uint64(tc.set), got, tc.want)
		}
	}
}
