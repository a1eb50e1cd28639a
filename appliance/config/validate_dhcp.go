package config

import (
	"fmt"
	"net/netip"
)

// checkPool runs when DHCP is enabled (island or home).
func (c *Config) checkPool() error {
	d, subnet := c.DHCP, c.ServedSubnet()
	if d.PoolStart.IsValid() != d.PoolEnd.IsValid() || c.Mode == Home && !d.PoolStart.IsValid() {
		key, v := "dhcp.pool_start", d.PoolStart
		if d.PoolStart.IsValid() {
			key, v = "dhcp.pool_end", d.PoolEnd
		}
		return refuse(key, v, c.poolPairRule())
	}
	if !d.PoolStart.IsValid() && subnet.Bits() > 24 {
		return refuse("network.address", c.Network.Address,
			"the default DHCP pool .100 to .199 needs a /24 or larger subnet; set dhcp.pool_start and dhcp.pool_end")
	}
	start, end := c.Pool()
	for _, p := range []struct {
		key string
		a   netip.Addr
	}{{"dhcp.pool_start", start}, {"dhcp.pool_end", end}} {
		if !p.a.Is4() || !isHostIn(subnet, p.a) {
			return refuse(p.key, p.a, fmt.Sprintf("must be a host address inside network.address's subnet %s", subnet))
		}
	}
	if end.Less(start) {
		return refuse("dhcp.pool_end", end, fmt.Sprintf("must not come before dhcp.pool_start (%s)", start))
	}
	if own := c.Network.Address.Addr(); !own.Less(start) && !end.Less(own) {
		return refuse("dhcp.pool_start", start, fmt.Sprintf(
			"the pool %s to %s must not contain psobox's own address %s (network.address)", start, end, own))
	}
	return nil
}

func (c *Config) poolPairRule() string {
	if c.Mode == Home {
		return "home mode needs both dhcp.pool_start and dhcp.pool_end: a range of the home network's addresses the router does not hand out"
	}
	return `set both dhcp.pool_start and dhcp.pool_end, or neither (for .100 to .199)`
}

// checkReservations runs when DHCP is enabled (island or home).
func (c *Config) checkReservations() error {
	subnet, own := c.ServedSubnet(), c.Network.Address.Addr()
	macs := map[MAC]int{}
	ips := map[netip.Addr]int{}
	for i, r := range c.DHCP.Reservations {
		key := fmt.Sprintf("dhcp.reservations[%d]", i)
		if j, dup := macs[r.MAC]; dup {
			return refuse(key+".mac", r.MAC, fmt.Sprintf("must be unique; dhcp.reservations[%d] has it", j))
		}
		if r.MAC[0]&1 != 0 || r.MAC == (MAC{}) {
			return refuse(key+".mac", r.MAC, `must be a console's unicast MAC address, such as "00:d0:f1:12:34:56"`)
		}
		if !r.IP.Is4() || !isHostIn(subnet, r.IP) || r.IP == own {
			return refuse(key+".ip", r.IP, fmt.Sprintf("must be a host address inside %s other than psobox's own %s", subnet, own))
		}
		if j, dup := ips[r.IP]; dup {
			return refuse(key+".ip", r.IP, fmt.Sprintf("must be unique; dhcp.reservations[%d] has it", j))
		}
		if r.Name != "" && !validLabel(r.Name) {
			return refuse(key+".name", r.Name, `must be "" or a host name of letters, digits and '-' such as "dreamcast-1"`)
		}
		macs[r.MAC], ips[r.IP] = i, i
	}
	return nil
}
