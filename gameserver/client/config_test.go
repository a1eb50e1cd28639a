package client

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/gameserver/wire/text"
)

func TestCredentials(t *testing.T) {
	type creds struct{ Serial, AccessKey string }
	tests := []struct {
		name    string
		cfg     Config
		want    creds
		wantErr string
	}{
		{"gc decimal serial is sent in hex", Config{Version: wire.GCV3, Serial: "0386248990", AccessKey: "145756008422"},
			creds{"1705B11E", "145756008422"}, ""},
		{"gc hex serial", Config{Version: wire.GCEp3, Serial: "1705b11e", AccessKey: "145756008422"},
			creds{"1705B11E", "145756008422"}, ""},
		{"gc access key must be 12 digits", Config{Version: wire.GCV3, Serial: "1705B11E", AccessKey: "1234567890123"},
			creds{}, "access key"},
		{"gc serial not hex", Config{Version: wire.GCV3, Serial: "XYZ"}, creds{}, "serial"},
		{"pc", Config{Version: wire.PCV2, Serial: "1705B11E", AccessKey: "14575600"}, creds{"1705B11E", "14575600"}, ""},
		{"dc serial too long", Config{Version: wire.DCV2, Serial: "1705B11E0"}, creds{}, "1 to 8 hex digits"},
		{"dc nte allows 16", Config{Version: wire.DCNTE, Serial: "4444444444444444", AccessKey: "6666666666666666"},
			creds{"4444444444444444", "6666666666666666"}, ""},
		{"xbox", Config{Version: wire.XBV3, Serial: "tzrl3", AccessKey: "7d11369100"}, creds{"tzrl3", "7D11369100"}, ""},
		{"xbox user ID is hex", Config{Version: wire.XBV3, AccessKey: "nothex"}, creds{}, "user ID"},
		{"no such version", Config{Version: wire.BBV4}, creds{}, "does not speak"},
		{"class beyond DC", Config{Version: wire.DCV2, Class: 9}, creds{}, "class 9"},
		{"bad language", Config{Version: wire.GCV3, Lang: "xx"}, creds{}, "language"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := tc.cfg.withDefaults()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one about %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, creds{cfg.Serial, cfg.AccessKey}); diff != "" {
				t.Errorf("credentials (-want +got):\n%s", diff)
			}
		})
	}
}

// Generated credentials are valid for their version, stable for one name
// and different for another.
func TestGeneratedCredentials(t *testing.T) {
	for _, v := range []wire.Version{wire.DCNTE, wire.DCV1, wire.DCV2, wire.PCV2, wire.GCV3, wire.GCEp3, wire.XBV3} {
		a, err := Config{Version: v, Name: "a"}.withDefaults()
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		again, _ := Config{Version: v, Name: "a"}.withDefaults()
		b, _ := Config{Version: v, Name: "b"}.withDefaults()
		if a.Serial != again.Serial || a.AccessKey != again.AccessKey || a.Password != again.Password {
			t.Errorf("%s: credentials change between runs", v)
		}
		if a.Serial == b.Serial {
			t.Errorf("%s: two names share serial %s", v, a.Serial)
		}
		// Valid: feeding them back in is accepted unchanged.
		back, err := Config{Version: v, Serial: a.Serial, AccessKey: a.AccessKey}.withDefaults()
		if err != nil || back.Serial != a.Serial || back.AccessKey != a.AccessKey {
			t.Errorf("%s: generated %s/%s not accepted back: %v", v, a.Serial, a.AccessKey, err)
		}
	}
}

// The player data psobot sends has each version's real size and reads back
// as the character configured.
func TestPlayerDataPerVersion(t *testing.T) {
	sizes := map[wire.Version]int{ // payload sizes real consoles send (fixture logs)
		wire.DCNTE: 0x41C, wire.DCV1: 0x41C, wire.DCV2: 0x4F0, wire.PCV2: 0x5A8,
		wire.GCV3: 0x67C, wire.GCEp3: 0x2A74, wire.XBV3: 0x67C,
	}
	p := NewPlayer("Rico", 5, 7, text.English)
	for v, size := range sizes {
		h, payload, err := wire.Encode(v, p.CharacterData(v, 0x61))
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		if len(payload) != size {
			t.Errorf("%s: 61 payload 0x%X bytes, real consoles send 0x%X", v, len(payload), size)
		}
		m, err := wire.Decode(v, wire.ClientToServer, h, payload)
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		got := m.(*wire.CharacterData).Player(v, 9)
		if got.Name != "Rico" || got.Class != 5 || got.SectionID != 7 || got.Language != text.English {
			t.Errorf("%s: read back %q class %d section %d language %v", v, got.Name, got.Class, got.SectionID, got.Language)
		}
	}
}
