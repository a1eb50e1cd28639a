// Package netsetup gives psobox the addresses its network mode needs and
// keeps them there: in island mode the LAN link is brought up and gets the
// static address consoles use as router and DNS server; in island and home
// mode the off-subnet sentinel, the address DNS answers for PSO's server
// names, is added to the loopback link as a /32. Server mode uses nothing
// from here.
//
// The sentinel lives on loopback, not on the LAN link: Linux delivers a
// packet to any local address whatever link it arrived on, so consoles
// that send it to psobox as their router reach it there, and loopback is
// never flushed when a cable is unplugged or another network manager
// resets the LAN link.
//
// Apply waits for the link, records which addresses were already there and
// adds the missing ones, labelled "<link>:pso" (ip addr shows it). Watch
// follows the kernel's link and address events and restores anything that
// goes missing (a replugged cable, a flushed link). Close removes only what
// psobox added: the addresses it added in this run, and labelled ones a
// crashed run left behind, never one that was there unlabelled. Everything
// goes through the Kernel interface: NewKernel talks netlink, tests fake
// it.
package netsetup
