package client

import "slices"

// Relayed is a relayed command another player sent (60, 62, 6C, 6D, or
// Episode III's C9/CB), as the server delivered it: one or more
// subcommands in this client's numbering. Guild cards arrive as
// *GuildCardReceived instead.
type Relayed struct {
	Cmd  uint16
	Flag uint32 // the target's slot for 62 and 6D
	Data []byte
}

func (*Relayed) eventName() string { return "relayed command" }

func relayedEvent(cmd uint16, flag uint32, data []byte) Event {
	return &Relayed{Cmd: cmd, Flag: flag, Data: slices.Clone(data)}
}
