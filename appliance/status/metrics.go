package status

import (
	"maps"
	"slices"
)

// writeMetrics turns a snapshot into Prometheus metrics. The list is in
// docs/status.md; names follow Prometheus's conventions (base units,
// _total for counters), and the process and Go runtime metrics use the
// names client_golang's collectors use, so ready-made dashboards work.
func writeMetrics(w *promWriter, snap Snapshot) {
	writeProcessMetrics(w, snap)
	w.gauge("psobox_warnings", "Warnings shown on the status page, by level.", warningSamples(snap.Warnings)...)
	w.gauge("psobox_service_running", "1 when the service runs in this process, 0 when it is off or not built in.",
		labelled("service", "dns", boolValue(snap.DNS != nil)),
		labelled("service", "dhcp", boolValue(snap.DHCP != nil)),
		labelled("service", "game", boolValue(snap.GameRunning)))
	if snap.DNS != nil {
		writeDNSMetrics(w, *snap.DNS)
	}
	if snap.DHCP != nil {
		writeDHCPMetrics(w, *snap.DHCP)
	}
	if snap.GameRunning {
		writeGameMetrics(w, snap)
	}
	if snap.Capture != nil {
		writeCaptureMetrics(w, *snap.Capture)
	}
}

func writeProcessMetrics(w *promWriter, snap Snapshot) {
	w.gauge("psobox_up", "1 while psobox answers.", one(1))
	w.gauge("psobox_build_info", "psobox's version and the Go version it was built with; always 1.",
		sample{labels: []label{{"version", snap.Version}, {"goversion", snap.Process.GoVersion}}, value: 1})
	w.gauge("psobox_mode_info", "The network mode psobox runs in (island, home, server); always 1.",
		labelled("mode", snap.Mode, 1))
	w.gauge("psobox_start_time_seconds", "When psobox started, in seconds since the Unix epoch.",
		one(float64(snap.Started.Unix())))
	w.gauge("psobox_uptime_seconds", "Seconds since psobox started.", one(float64(snap.UptimeSeconds)))
	w.gauge("process_resident_memory_bytes", "Resident memory size in bytes (VmRSS).", one(float64(snap.Process.RSSBytes)))
	if snap.Process.OpenFDs >= 0 {
		w.gauge("process_open_fds", "Open file descriptors.", one(float64(snap.Process.OpenFDs)))
	}
	w.gauge("go_goroutines", "Goroutines that currently exist.", one(float64(snap.Process.Goroutines)))
	w.gauge("go_memory_classes_heap_objects_bytes", "Heap memory of live objects and of dead ones not yet swept.",
		one(float64(snap.Process.HeapBytes)))
}

func warningSamples(ws []Warning) []sample {
	counts := map[Level]int{LevelError: 0, LevelWarning: 0, LevelInfo: 0}
	for _, w := range ws {
		counts[w.Level]++
	}
	var out []sample
	for _, l := range slices.Sorted(maps.Keys(counts)) {
		out = append(out, labelled("level", string(l), float64(counts[l])))
	}
	return out
}

func writeDNSMetrics(w *promWriter, c DNSCounters) {
	w.counter("psobox_dns_queries_total", "DNS queries answered, by response code.",
		labelled("rcode", "NOERROR", float64(c.NoError)),
		labelled("rcode", "NXDOMAIN", float64(c.NXDomain)),
		labelled("rcode", "SERVFAIL", float64(c.ServFail)),
		labelled("rcode", "REFUSED", float64(c.Refused)),
		labelled("rcode", "other", float64(c.OtherRcode)))
	w.counter("psobox_dns_queries_dropped_total", "DNS queries left unanswered by the rate limit.", one(float64(c.Dropped)))
	w.counter("psobox_dns_invalid_packets_total", "DNS packets ignored as not a plain query.", one(float64(c.Invalid)))
	w.counter("psobox_dns_game_answers_total", "DNS queries answered with the game server's address.", one(float64(c.GameAnswers)))
	w.counter("psobox_dns_cache_hits_total", "Forwarded names answered from the cache.", one(float64(c.CacheHits)))
	w.counter("psobox_dns_cache_misses_total", "Forwarded names not in the cache.", one(float64(c.CacheMisses)))
	w.counter("psobox_dns_forwarded_total", "DNS queries sent to an upstream resolver.", one(float64(c.Forwarded)))
	w.counter("psobox_dns_upstream_errors_total", "Forwarded DNS queries no upstream answered.", one(float64(c.UpstreamErrors)))
}

func writeDHCPMetrics(w *promWriter, st DHCPStatus) {
	c := st.Counters
	w.gauge("psobox_dhcp_serving", "1 while the DHCP server hands out addresses.", one(boolValue(st.State == "serving")))
	w.gauge("psobox_dhcp_rogue_servers", "Other DHCP servers seen on the consoles' network.", one(float64(len(st.Rogues))))
	w.gauge("psobox_dhcp_leases_active", "Addresses leased or offered right now.", one(float64(st.LeasesActive)))
	w.gauge("psobox_dhcp_pool_size", "Addresses in the DHCP pool.", one(float64(st.PoolSize)))
	w.counter("psobox_dhcp_requests_total", "DHCP requests received, by message type.",
		labelled("type", "discover", float64(c.Discover)),
		labelled("type", "request", float64(c.Request)),
		labelled("type", "decline", float64(c.Decline)),
		labelled("type", "release", float64(c.Release)),
		labelled("type", "inform", float64(c.Inform)))
	w.counter("psobox_dhcp_replies_total", "DHCP replies sent, by message type.",
		labelled("type", "offer", float64(c.Offer)),
		labelled("type", "ack", float64(c.Ack)),
		labelled("type", "nak", float64(c.Nak)))
	w.counter("psobox_dhcp_ignored_total", "DHCP requests not answered (other clients in home mode, invalid requests).", one(float64(c.Ignored)))
	w.counter("psobox_dhcp_pool_exhausted_total", "DHCP DISCOVERs left without an offer because the pool was full.", one(float64(c.Exhausted)))
	w.counter("psobox_dhcp_conflicts_total", "Addresses the ARP probe found already in use.", one(float64(c.Conflicts)))
	w.counter("psobox_dhcp_errors_total", "DHCP probe and send errors.",
		labelled("kind", "probe", float64(c.ProbeErrors)),
		labelled("kind", "send", float64(c.SendErrors)))
}

func writeGameMetrics(w *promWriter, snap Snapshot) {
	byVersion := make(map[string]int)
	for _, p := range snap.Players {
		byVersion[p.Version]++
	}
	var players []sample
	for _, v := range slices.Sorted(maps.Keys(byVersion)) {
		players = append(players, labelled("version", v, float64(byVersion[v])))
	}
	w.gauge("psobox_players_online", "Connected game clients, by version.", players...)
	w.gauge("psobox_lobbies", "Lobbies on the game server.", one(float64(len(snap.Lobbies))))
	w.gauge("psobox_games", "Games (rooms) open on the game server.", one(float64(len(snap.Games))))
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
