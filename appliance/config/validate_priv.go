package config

// maxID keeps uid and gid within what every supported platform's int
// holds (armv6 is 32-bit).
const maxID = 1<<31 - 1

// checkPrivileges refuses root as the services' user: the point of
// dropping is that the game server never runs as root.
func (c *Config) checkPrivileges() error {
	p := c.Privileges
	if err := oneOf("privileges.drop", p.Drop, "auto", "always"); err != nil {
		return err
	}
	if err := intIn("privileges.uid", p.UID, 1, maxID); err != nil {
		return err
	}
	return intIn("privileges.gid", p.GID, 1, maxID)
}
