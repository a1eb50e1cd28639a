package server

// PanicOnCommand makes the dispatch of cmd panic, to test that a panic
// drops only the client that caused it.
func PanicOnCommand(s *Server, cmd uint16) { s.panicOn.Store(uint32(cmd) + 1) }
