// Package dns is psobox's DNS server: it sends consoles to the box and is a
// careful LAN resolver for everything else.
//
// Phantasy Star Online clients find their server by resolving Sega's old
// hostnames (see hostnames.go, the one table of them). A queries for those
// names get the game server's address for the asking client: the off-subnet
// sentinel in island and home modes (PSO GC Plus and Episode III refuse a
// server on their own subnet), the host's reachable address in server mode.
// AAAA and other types for those names get an empty NOERROR.
//
// Every other name is forwarded to upstream resolvers through a bounded cache,
// or, in catch-all mode, answered with the game server address too.
//
// A query passes through a chain of handlers assembled explicitly in New:
//
//	metrics → acl → ratelimit → minimal ANY → lookup recorder → PSO names → cache → forward (or catch-all)
//
// Each link implements Handler and may answer or pass the query on, in the
// style of coredns plugins, so the status page and metrics plug in as more
// links without globals (Options.Middleware runs right after metrics). The server refuses clients outside the served
// subnets and the allow list, rate-limits each source, never expands ANY, and
// honours truncation both towards clients and from upstreams.
package dns
