// Package dhcp is psobox's DHCPv4 server: it gives consoles an address and
// points their router and DNS server at the Pi, which is what lets PSO find
// the built-in game server (and lets GC Plus/Episode III reach the off-subnet
// sentinel address through the Pi).
//
// The server runs on github.com/insomniacslk/dhcp's server4 read loop, bound
// to one interface. Every request goes through a coredhcp-style handler chain
// (request check → mode filter → reservations → leases → options) made of
// plain functions over a lease store, so the whole protocol logic is tested
// without sockets or root. Around the chain sit:
//
//   - reply addressing per RFC 2131 §4.1, with layer-2 unicast to the
//     client's MAC through an AF_PACKET socket (CAP_NET_RAW), falling back to
//     broadcast when that socket cannot be opened;
//   - an ARP probe before an address is offered, so the server never hands
//     out an address another host already uses;
//   - in island mode a rogue-DHCP guard: before serving, the server sends its
//     own DISCOVER and refuses to serve while another server answers, unless
//     forced;
//   - leases persisted atomically as JSON in the state directory.
//
// Two modes: island (authoritative for the subnet: foreign requests get a
// NAK) and home (a small pool carved from the home network, answering only
// consoles by MAC prefix; it never sends a NAK, the home router owns the
// subnet).
//
// Replies are built by hand instead of with dhcpv4.New or
// dhcpv4.NewReplyFromRequest: those draw a transaction ID from a generator
// that busy-waits until the kernel's random pool is ready, which on a freshly
// booted Pi or VM delayed the first reply by up to a minute. A reply copies
// the request's transaction ID anyway. A test scans this package's source to
// keep it that way.
//
// Time: a Pi has no clock chip and boots in 1970. Running leases expire on
// the monotonic clock (time.Time values from the injected clock keep Go's
// monotonic reading), and the lease file stores the remaining duration next
// to the wall-clock expiry, so a restart with a wrong wall clock keeps the
// leases for the time they had left instead of dropping or eternalizing them.
package dhcp
