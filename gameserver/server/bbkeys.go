package server

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/psobox/psobox/gameserver/crypt"
)

// loadBBKeys reads the Blue Burst key tables the user supplied. Without a
// usable one Blue Burst is off (its ports stay closed) and bbOff says why.
func (s *Server) loadBBKeys() {
	dir := s.opts.BBKeyDir
	if dir == "" {
		s.bbOff = errors.New("no key directory is configured")
		s.log.Info("Blue Burst is off", "why", s.bbOff)
		return
	}
	keys, err := crypt.LoadBBKeys(dir)
	s.bbKeys = keys
	switch {
	case len(keys) > 0 && err != nil:
		s.log.Warn("some Blue Burst key tables were skipped", "dir", dir, "err", err)
	case len(keys) > 0:
	case errors.Is(err, fs.ErrNotExist):
		s.bbOff = fmt.Errorf("%s does not exist", dir)
	case err != nil:
		s.bbOff = fmt.Errorf("no usable key file in %s: %w", dir, err)
	default:
		s.bbOff = fmt.Errorf("%s has no .nsk key file", dir)
	}
	if s.bbOff != nil {
		s.log.Warn("Blue Burst is off", "why", s.bbOff)
	}
}

// BlueBurstOff says why Blue Burst is off, for the status page; nil when its
// key tables loaded. It does not change after Listen.
func (s *Server) BlueBurstOff() error { return s.bbOff }
