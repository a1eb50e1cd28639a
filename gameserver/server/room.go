package server

// room is a lobby or a game: what chat needs of the place a player is in.
// (The social commands use the same interface; a merge keeps one copy.)
type room interface {
	// each calls f for every member but skip, with the room's lock held:
	// f may only push to outboxes.
	each(skip *Client, f func(m *Client, slot uint8))
	// member returns the client in slot, or nil.
	member(slot uint32) *Client
}

// currentRoom is the game or lobby c is in, or nil in the menus.
func (c *Client) currentRoom() room {
	if g := c.sess.game; g != nil {
		return g
	}
	if l := c.sess.lobby; l != nil {
		return l
	}
	return nil
}
