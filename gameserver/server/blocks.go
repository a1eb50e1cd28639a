package server

import (
	"sync"
	"sync/atomic"

	"github.com/psobox/psobox/gameserver/wire"
)

// Blocks and overflow.
//
// A block is one set of the 20 lobbies every client knows (15 public, 5
// Episode III CARD lobbies; DC v1 sees the first 10): 180 players fit in
// block 1's public lobbies. When every lobby a player may enter is full,
// the server opens the next block (BLOCK02, ...) and seats the player
// there, up to enough blocks for MaxClients Dreamcast v1 players. Blocks
// are kept once opened (they cost a few hundred bytes), so block and lobby
// numbers stay stable for searches and the status page. Players move
// between blocks with the block counter in the lobby (A1, answered with
// the block menu), and within a block with the lobby teleporter (84).

// lobbyRef names one lobby: its block and its number in the block (1-20).
type lobbyRef struct {
	block, lobby uint32
}

// Block is one numbered set of lobbies.
type Block struct {
	Number  int
	lobbies [publicLobbies + ep3Lobbies]*Lobby
}

// lobbies is the server's blocks: block 1 from the start, more on demand.
// The list is published atomically so seating and status reads take no
// lock; growMu serialises opening a block.
type lobbies struct {
	event     uint8
	maxBlocks int
	list      atomic.Pointer[[]*Block]
	growMu    sync.Mutex
}

func newLobbies(event uint8, maxClients int) *lobbies {
	ls := &lobbies{event: event, maxBlocks: max(1, (maxClients+v1Capacity-1)/v1Capacity)}
	first := []*Block{ls.newBlock(1)}
	ls.list.Store(&first)
	return ls
}

// v1Capacity is what one block seats of the version that sees the fewest
// lobbies (DC v1): the number of blocks MaxClients may need.
const v1Capacity = v1Lobbies * lobbyPlayers

func (ls *lobbies) newBlock(n int) *Block {
	b := &Block{Number: n}
	for i := range b.lobbies {
		b.lobbies[i] = &Lobby{ID: uint32(i + 1), block: n, event: ls.event}
	}
	return b
}

// blocks returns the blocks open now, in order.
func (ls *lobbies) blocks() []*Block { return *ls.list.Load() }

// block returns block n, or nil if it is not open.
func (ls *lobbies) block(n uint32) *Block {
	bs := ls.blocks()
	if n < 1 || int(n) > len(bs) {
		return nil
	}
	return bs[n-1]
}

// lookup returns the lobby ref names, or nil.
func (ls *lobbies) lookup(r lobbyRef) *Lobby {
	if b := ls.block(r.block); b != nil {
		return b.lobby(r.lobby)
	}
	return nil
}

// lobby returns the block's lobby number id (1-20), or nil.
func (b *Block) lobby(id uint32) *Lobby {
	if id < 1 || int(id) > len(b.lobbies) {
		return nil
	}
	return b.lobbies[id-1]
}

// visible lists the lobbies version v has in a block, in number order (83).
func (b *Block) visible(v wire.Version) []*Lobby {
	out := make([]*Lobby, 0, len(b.lobbies))
	for _, l := range b.lobbies {
		if lobbyAllowed(l.ID, v) {
			out = append(out, l)
		}
	}
	return out
}

// searchOrder is where a player without a preference goes in a block:
// Episode III players to their own lobbies first.
func (b *Block) searchOrder(v wire.Version) []*Lobby {
	vis := b.visible(v)
	if !v.IsEp3() {
		return vis
	}
	return append(vis[publicLobbies:], vis[:publicLobbies]...)
}

// seat puts c in a lobby of the block with room, announcing the join.
func (b *Block) seat(c *Client) *Lobby {
	for _, l := range b.searchOrder(c.Version()) {
		if l.add(c) {
			return l
		}
	}
	return nil
}

// join puts c in the preferred lobby if there is room, else the first
// lobby with room in the preferred block, else in any block, opening a new
// block when all are full.
func (ls *lobbies) join(c *Client, preferred lobbyRef) (*Lobby, error) {
	if l := ls.lookup(preferred); l != nil && lobbyAllowed(l.ID, c.Version()) && l.add(c) {
		return l, nil
	}
	if b := ls.block(preferred.block); b != nil {
		if l := b.seat(c); l != nil {
			return l, nil
		}
	}
	for {
		bs := ls.blocks()
		for _, b := range bs {
			if l := b.seat(c); l != nil {
				return l, nil
			}
		}
		if !ls.grow(len(bs)) {
			return nil, errLobbiesFull
		}
	}
}

// grow opens block seen+1 unless another goroutine already did (then the
// caller looks again) or the limit is reached (false).
func (ls *lobbies) grow(seen int) bool {
	ls.growMu.Lock()
	defer ls.growMu.Unlock()
	bs := ls.blocks()
	if len(bs) > seen {
		return true
	}
	if len(bs) >= ls.maxBlocks {
		return false
	}
	next := append(append(make([]*Block, 0, len(bs)+1), bs...), ls.newBlock(len(bs)+1))
	ls.list.Store(&next)
	return true
}
