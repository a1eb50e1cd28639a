package dhcp

import (
	"context"
	"slices"
	"time"
)

// Leases lists every lease record and blocked address, by address, for the
// status page.
func (s *Server) Leases() []LeaseInfo {
	now := s.now()
	return leaseInfos(&s.cfg, s.store.records(), s.store.blocks(now), now)
}

// Status is a snapshot of the server's state, rogue-check result and
// counters.
func (s *Server) Status() Status {
	now := s.now()
	st := Status{
		Mode: s.cfg.mode, Interface: s.cfg.iface,
		PoolSize: int(s.store.poolSize()), LeasesActive: s.store.activeCount(now),
		Counters: s.stats.snapshot(),
	}
	if s.file != nil {
		st.LeaseFile = s.file.path
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st.Unicast, st.ARPProbe = s.link != nil, s.prober != nil
	st.State, st.Message, st.Forced = s.state, s.message, s.forced
	st.Rogues = slices.Clone(s.rogues)
	st.LeaseFileError = joinNonEmpty(s.fileLoadErr, s.fileSaveErr)
	if st.Message == "" && s.linkNote != "" && st.State == StateServing {
		st.Message = "no raw packet socket (" + s.linkNote + "): unicast replies are broadcast, no ARP probe"
	}
	return st
}

func joinNonEmpty(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

// saveLoop writes the lease file after changes, at most once per saveEvery.
func (s *Server) saveLoop(ctx context.Context, done chan<- struct{}) {
	defer close(done)
	if s.file == nil {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.kick:
			s.save()
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(saveEvery):
		}
	}
}

func (s *Server) save() {
	if s.file == nil {
		return
	}
	err := s.file.save(s.store.records(), s.now())
	msg := ""
	if err != nil {
		msg = "saving leases: " + err.Error()
	}
	s.mu.Lock()
	changed := msg != s.fileSaveErr
	s.fileSaveErr = msg
	s.mu.Unlock()
	switch {
	case changed && err != nil:
		s.log.Error("saving leases failed", "file", s.file.path, "err", err)
	case changed:
		s.log.Info("saving leases works again", "file", s.file.path)
	}
}
