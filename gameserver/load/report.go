package load

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is what a run measured. Rates are per second of the measurement
// window; traffic counts are those of the window.
type Report struct {
	Clients   int      `json:"clients"`
	Consoles  []string `json:"consoles"`
	RelayRate float64  `json:"relay_rate"` // per bot per second, as asked
	ChatRate  float64  `json:"chat_rate"`
	GameShare float64  `json:"game_share"`

	SetupTime time.Duration `json:"setup_ns"`    // from the first dial until every bot was seated or failed
	Measured  time.Duration `json:"measured_ns"` // the measurement window
	Wall      time.Duration `json:"wall_ns"`     // the whole run

	Logins       int64   `json:"logins"`
	LoginsPerSec float64 `json:"logins_per_sec"` // logins over the time from the first dial to the last login
	LoginTime    Latency `json:"login_time"`     // connecting to the main menu
	InLobby      int64   `json:"in_lobby"`
	InGame       int64   `json:"in_game"`
	Games        int64   `json:"games"`

	ChatSent        uint64  `json:"chat_sent"`
	ChatReceived    uint64  `json:"chat_received"` // lines received, the speaker's own echo included
	ChatRecvPerSec  float64 `json:"chat_received_per_sec"`
	ChatLatency     Latency `json:"chat_latency"`
	RelaySent       uint64  `json:"relay_sent"`
	RelayReceived   uint64  `json:"relay_received"`
	RelayRecvPerSec float64 `json:"relay_received_per_sec"`
	RelayLatency    Latency `json:"relay_latency"`

	SlowBots    int   `json:"slow_bots"`    // bots that stopped reading during the measurement
	SlowDropped int64 `json:"slow_dropped"` // of those, the ones the server dropped

	Errors map[string]int `json:"errors"` // "step: why" -> count

	Status    Statuses      `json:"status"`
	ServerCPU time.Duration `json:"server_cpu_ns"` // during the window; -1: not read
	LoadCPU   time.Duration `json:"load_cpu_ns"`   // this process, during the window
}

func newReport(o *Options) *Report {
	rep := &Report{Clients: o.Clients, RelayRate: o.RelayRate, ChatRate: o.ChatRate, GameShare: o.GameShare,
		SlowBots: o.Slow, ServerCPU: -1}
	for _, c := range o.Consoles {
		rep.Consoles = append(rep.Consoles, c.Name)
	}
	return rep
}

func (rep *Report) fill(st *stats) {
	rep.Logins = st.logins.Load()
	if span := st.lastLogin.Load() - st.firstDial.Load(); rep.Logins > 0 && span > 0 {
		rep.LoginsPerSec = float64(rep.Logins) / time.Duration(span).Seconds()
	}
	rep.LoginTime = st.loginTime.summary()
	rep.InLobby, rep.InGame, rep.Games = st.inLobby.Load(), st.inGame.Load(), st.gamesCreated.Load()
	secs := rep.Measured.Seconds()
	rep.ChatSent, rep.ChatReceived = st.chatSent.Load(), st.chatRecv.Load()
	rep.RelaySent, rep.RelayReceived = st.relaySent.Load(), st.relayRecv.Load()
	if secs > 0 {
		rep.ChatRecvPerSec = float64(rep.ChatReceived) / secs
		rep.RelayRecvPerSec = float64(rep.RelayReceived) / secs
	}
	rep.ChatLatency, rep.RelayLatency = st.chatLat.summary(), st.relayLat.summary()
	rep.SlowDropped = st.slowDropped.Load()
	rep.Errors = st.errs.snapshot()
}

// ErrorCount is the number of failures of every kind.
func (rep *Report) ErrorCount() int {
	n := 0
	for _, c := range rep.Errors {
		n += c
	}
	return n
}

// RSSPerClient is the server's resident memory per connected bot: the
// growth from before the run to the end of the measurement.
func (rep *Report) RSSPerClient() float64 {
	connected := rep.InLobby + rep.InGame
	if connected == 0 || rep.Status.Loaded.RSSBytes == 0 || rep.Status.Before.RSSBytes == 0 {
		return 0
	}
	return float64(rep.Status.Loaded.RSSBytes-rep.Status.Before.RSSBytes) / float64(connected)
}

// ServerCPUShare is the server's CPU time per second of the window, in
// cores (1 = one core busy), or -1 when not read.
func (rep *Report) ServerCPUShare() float64 {
	if rep.ServerCPU < 0 || rep.Measured <= 0 {
		return -1
	}
	return rep.ServerCPU.Seconds() / rep.Measured.Seconds()
}

// WriteTable writes the report for people.
func (rep *Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k, format string, args ...any) { fmt.Fprintf(tw, "%s\t"+format+"\n", append([]any{k}, args...)...) }
	row("clients", "%d (%s); relay %g/s, chat %g/s per bot; %.0f%% in games of 4",
		rep.Clients, strings.Join(rep.Consoles, ","), rep.RelayRate, rep.ChatRate, rep.GameShare*100)
	row("time", "set up %s, measured %s, whole run %s", round(rep.SetupTime), round(rep.Measured), round(rep.Wall))
	row("logins", "%d, %.0f/s; login time p50 %s p99 %s", rep.Logins, rep.LoginsPerSec, ms(rep.LoginTime.P50), ms(rep.LoginTime.P99))
	row("seated", "%d in lobbies, %d in %d games", rep.InLobby, rep.InGame, rep.Games)
	row("chat", "%d lines sent, %d received (%.0f/s)", rep.ChatSent, rep.ChatReceived, rep.ChatRecvPerSec)
	row("chat latency", "%s", latencyText(rep.ChatLatency))
	row("relay", "%d sent, %d received (%.0f/s)", rep.RelaySent, rep.RelayReceived, rep.RelayRecvPerSec)
	row("relay latency", "%s", latencyText(rep.RelayLatency))
	for _, s := range []struct {
		name string
		s    StatusSample
	}{{"server before", rep.Status.Before}, {"server loaded", rep.Status.Loaded}, {"server peak", rep.Status.Peak}, {"server after", rep.Status.After}} {
		row(s.name, "%s", sampleText(s.s))
	}
	row("server RSS/client", "%.1f KiB", rep.RSSPerClient()/1024)
	if rep.SlowBots > 0 {
		row("slow bots", "%d stopped reading; the server dropped %d", rep.SlowBots, rep.SlowDropped)
	}
	row("CPU (window)", "%s", cpuText(rep))
	row("errors", "%d", rep.ErrorCount())
	for _, l := range ErrorLines(rep.Errors) {
		row("", "%s", l)
	}
	return tw.Flush()
}

func latencyText(l Latency) string {
	if l.Samples == 0 {
		return "no samples"
	}
	return fmt.Sprintf("p50 %s  p99 %s  p99.9 %s  max %s  (%d samples)", ms(l.P50), ms(l.P99), ms(l.P999), ms(l.Max), l.Samples)
}

func sampleText(s StatusSample) string {
	if s.Error != "" && s.RSSBytes == 0 {
		return "not read: " + s.Error
	}
	return fmt.Sprintf("RSS %.1f MiB, heap %.1f MiB, %d goroutines, %d fds",
		float64(s.RSSBytes)/(1<<20), float64(s.HeapBytes)/(1<<20), s.Goroutines, s.OpenFDs)
}

func cpuText(rep *Report) string {
	load := fmt.Sprintf("load generator %.2f cores", rep.LoadCPU.Seconds()/math.Max(rep.Measured.Seconds(), 1e-9))
	if share := rep.ServerCPUShare(); share >= 0 {
		return fmt.Sprintf("server %.2f cores (%s), %s", share, round(rep.ServerCPU), load)
	}
	return "server not read (-pid), " + load
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3fms", float64(d)/1e6) }

func round(d time.Duration) time.Duration { return d.Round(time.Millisecond) }

// WriteBench writes the report as one line of Go benchmark output, so
// that benchstat compares runs: name is the benchmark's name after
// "BenchmarkLoad/", such as "clients=100".
func (rep *Report) WriteBench(w io.Writer, name string) error {
	m := []struct {
		v    float64
		unit string
	}{
		{float64(rep.Wall), "ns/op"},
		{rep.LoginsPerSec, "logins/s"},
		{rep.ChatRecvPerSec, "chat-msgs/s"},
		{rep.RelayRecvPerSec, "relay-msgs/s"},
		{float64(rep.RelayLatency.P50), "relay-p50-ns"},
		{float64(rep.RelayLatency.P99), "relay-p99-ns"},
		{float64(rep.RelayLatency.P999), "relay-p999-ns"},
		{float64(rep.ChatLatency.P99), "chat-p99-ns"},
		{float64(rep.Status.Loaded.RSSBytes), "rss-bytes"},
		{rep.RSSPerClient(), "rss-bytes/client"},
		{float64(rep.Status.Loaded.Goroutines), "goroutines"},
		{rep.ServerCPUShare(), "server-cores"},
		{float64(rep.ErrorCount()), "errors"},
	}
	var b strings.Builder
	fmt.Fprintf(&b, "BenchmarkLoad/%s \t       1", name)
	for _, x := range m {
		fmt.Fprintf(&b, "\t%12.6g %s", x.v, x.unit)
	}
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}
