// Package privdrop runs psobox's services as an unprivileged user when
// psobox starts as root, as it does under gokrazy: the root process keeps
// the network setup (netlink needs CAP_NET_ADMIN) and starts itself again
// as a child with another uid and gid, no supplementary groups, and only
// the ambient capabilities the services need (CAP_NET_BIND_SERVICE for
// ports 53 and 67, CAP_NET_RAW for DHCP's packet sockets). The child also
// runs with no_new_privs, so nothing it executes can gain privileges back.
//
// This is the gokrazy counterpart of systemd's User= and
// AmbientCapabilities=; a process that does not start as root (a systemd
// unit) has nothing to drop.
//
// The parent hands the child its configuration on an inherited file, so
// both run on exactly the same settings even when the config file is
// readable by root only.
package privdrop
