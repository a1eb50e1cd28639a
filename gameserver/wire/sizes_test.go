package wire

import "testing"

// TestEveryCodecRoundTripsItsZeroValue encodes the zero value of every
// registered message for every version it is registered for, decodes the
// result and encodes again: both encodings must match.
func TestEveryCodecRoundTripsItsZeroValue(t *testing.T) {
	n := 0
	for k, list := range codecs {
		for _, cd := range list {
			for _, v := range AllVersions() {
				if !cd.versions.has(v) {
					continue
				}
				n++
				checkZeroRoundTrip(t, v, k, cd.newMsg)
			}
		}
	}
	t.Logf("%d (version, direction, command) codecs round-trip", n)
}

func checkZeroRoundTrip(t *testing.T, v Version, k codecKey, newMsg func() Msg) {
	t.Helper()
	m := newMsg()
	setCommand(m, k.cmd)
	payload, flag, err := AppendPayload(nil, v, m)
	if err != nil && isRawBlock(m) {
		return // raw blocks have no zero-length form, and encoding checks that too
	}
	if err != nil {
		t.Errorf("%s %s %02X: encode zero value: %v", v, k.dir, k.cmd, err)
		return
	}
	if k.cmd >= 0x60 && k.cmd <= 0x6D || k.cmd == 0xC9 || k.cmd == 0xCA || k.cmd == 0xCB {
		return // an empty subcommand list is rightly refused
	}
	got, err := Decode(v, k.dir, Header{Command: k.cmd, Flag: flag}, payload)
	if err != nil {
		t.Errorf("%s %s %02X: decode own encoding (0x%X bytes): %v", v, k.dir, k.cmd, len(payload), err)
		return
	}
	again, _, err := AppendPayload(nil, v, got)
	if err != nil || string(again) != string(payload) {
		t.Errorf("%s %s %02X: re-encoding differs (%v)", v, k.dir, k.cmd, err)
	}
}

func isRawBlock(m Msg) bool { _, ok := m.(*RawBlock); return ok }

// setCommand sets the command of message types that serve several.
func setCommand(m Msg, cmd uint16) {
	switch m := m.(type) {
	case *Empty:
		m.Cmd = cmd
	case *ServerInit:
		m.Cmd = cmd
	case *ServerInitBB:
		m.Cmd = cmd
	case *TextMessage:
		m.Cmd = cmd
	case *PlainText:
		m.Cmd = cmd
	case *Menu:
		m.Cmd = cmd
	case *MenuItemRef:
		m.Cmd = cmd
	case *ChangeShipOrBlock:
		m.Cmd = cmd
	case *JoinLobby:
		m.Cmd = cmd
	case *LeaveLobby:
		m.Cmd = cmd
	case *CharacterData:
		m.Cmd = cmd
	case *CreateGame:
		m.Cmd = cmd
	case *GameCommand:
		m.Cmd = cmd
	case *OpenFile:
		m.Cmd = cmd
	case *WriteFile:
		m.Cmd = cmd
	case *FileConfirm:
		m.Cmd = cmd
	case *QuestMenu:
		m.Cmd = cmd
	case *TradeItems:
		m.Cmd = cmd
	case *RawBlock:
		m.Cmd = cmd
	case *BBCharacterSlot:
		m.Cmd = cmd
	}
}

// TestPayloadSizes pins the payload sizes of layouts the fixture logs do not
// exercise (or not in every version) to the sizes of the clients' structures.
func TestPayloadSizes(t *testing.T) {
	one := []MenuItem{{}}
	tests := []struct {
		v    Version
		m    Msg
		want int
	}{
		{GCV3, &GuildCardSearchResult{}, 0xC0},
		{PCV2, &GuildCardSearchResult{}, 0x124},
		{BBV4, &GuildCardSearchResult{}, 0x128},
		{DCV2, &SimpleMail{}, 0x21C},
		{PCV2, &SimpleMail{}, 0x42C},
		{BBV4, &SimpleMail{}, 0x454},
		{DCNTE, &JoinGame{}, 0x104},
		{DCV1, &JoinGame{}, 0x10C},
		{PCV2, &JoinGame{}, 0x14C},
		{GCNTE, &JoinGame{}, 0x110},
		{GCEp3, &JoinGame{HasEp3Players: true}, 0x1180},
		{XBV3, &JoinGame{}, 0x1D8},
		{BBV4, &JoinGame{}, 0x1A0},
		{BBV4, &JoinLobby{Cmd: 0x67, Entries: make([]LobbyEntry, 1)}, 0xC + 0x44 + 0x34C + 0x190},
		{DCNTE, &CreateGame{Cmd: 0x0C}, 0x28},
		{DCV1, &CreateGame{Cmd: 0x0C}, 0x2C},
		{PCV2, &CreateGame{Cmd: 0xC1}, 0x4C},
		{BBV4, &CreateGame{Cmd: 0xC1}, 0x50},
		{DCV2, &OpenFile{Cmd: 0x44}, 0x38},
		{GCV3, &OpenFile{Cmd: 0xA6}, 0x38},
		{XBV3, &OpenFile{Cmd: 0x44}, 0x50},
		{BBV4, &OpenFile{Cmd: 0x44}, 0x50},
		{PCV2, &QuestMenu{Cmd: 0xA2, Entries: make([]QuestMenuEntry, 1)}, 0x128},
		{GCV3, &QuestMenu{Cmd: 0xA2, Entries: make([]QuestMenuEntry, 1)}, 0x98},
		{XBV3, &QuestMenu{Cmd: 0xA4, Entries: make([]QuestMenuEntry, 1)}, 0xA8},
		{BBV4, &QuestMenu{Cmd: 0xA2, Entries: make([]QuestMenuEntry, 1)}, 0x13C},
		{PCV2, &Menu{Cmd: 0x07, Items: one}, 0x2C},
		{GCV3, &Menu{Cmd: 0x07, Items: one}, 0x1C},
		{GCV3, &InfoBoard{Entries: make([]InfoBoardEntry, 1)}, 0xBC},
		{BBV4, &InfoBoard{Entries: make([]InfoBoardEntry, 1)}, 0x178},
		{BBV4, &UpdateClientConfig{}, 0x30},
		{GCV3, &LoginWithConfig{HasMeetUser: true}, 0x14C},
		{XBV3, &LoginWithConfig{HasXB: true}, 0x130},
		{XBV3, &LoginWithConfig{HasXB: true, HasMeetUser: true}, 0x194},
		{PCV2, &LoginWithConfig{HasMeetUser: true}, 0x16C},
		{PCV2, &Login{HasMeetUser: true}, 0x14C},
		{DCV1, &V1Login{HasMeetUser: true}, 0x110},
		{BBV4, &BBLoginWithConfig{}, 0x170},
		{BBV4, &BBLogin{}, 0xA4},
		{BBV4, &BBLogin{HasHardwareID: true}, 0xAC},
		{BBV4, &BBClientInit{}, 0x3C},
		{PCV2, NewReconnectSplit(testAddr, testAddr), 0xAC},
		{GCV3, &Reconnect{}, 8},
		{PCV2, &CharacterData{Cmd: 0x61}, 0x5A4},
		{GCNTE, &CharacterData{Cmd: 0x61}, 0x56C},
		{GCEp3, &CharacterData{Cmd: 0x61}, 0x2A74},
		{BBV4, &CharacterData{Cmd: 0x61}, 0x824},
		{GCV3, &TradeItems{Cmd: 0xD0}, 0x284},
		{GCEp3, &TournamentEntry{}, 0x508},
	}
	for _, tt := range tests {
		payload, _, err := AppendPayload(nil, tt.v, tt.m)
		if err != nil || len(payload) != tt.want {
			t.Errorf("%s %T: %d bytes (%v), want 0x%X", tt.v, tt.m, len(payload), err, tt.want)
		}
	}
}

// TestGuildCardSizes pins 6x06 to each version's size.
func TestGuildCardSizes(t *testing.T) {
	for v, want := range map[Version]int{DCNTE: 0x80, DC112000: 0x84, DCV1: 0x84, DCV2: 0x84, PCV2: 0xF4,
		GCNTE: 0xA8, GCV3: 0x94, GCEp3: 0x94, XBV3: 0x230, BBV4: 0x10C} {
		b, err := AppendSubcommand(nil, v, &SubGuildCard{Card: NewGuildCard(v, GuildCardInfo{Number: 42, Name: "Tali"})})
		if err != nil || len(b) != want {
			t.Errorf("%s: 6x06 is 0x%X bytes (%v), want 0x%X", v, len(b), err, want)
		}
	}
}

var testAddr = netipMustAddrPort("192.168.0.1:9100")
