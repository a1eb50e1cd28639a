package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPrintTable(t *testing.T) {
	out := `goos: linux
pkg: github.com/psobox/psobox/gameserver/server
BenchmarkRelayInGame-2   	11766081	       101.7 ns/op	        33.91 ns/receiver	       0 B/op	       0 allocs/op
PASS
pkg: github.com/psobox/psobox/internal/bench
BenchmarkLoad/clients=1000 	       1	  2.22e+10 ns/op	  565248 relay-p99-ns	 9.4e+07 rss-bytes	   3 errors
`
	var b strings.Builder
	printTable(&b, out)
	want := `benchmark                       results
gameserver/server RelayInGame   time/op 101.7ns  33.91 ns/receiver  0 B/op  0 allocs/op
internal/bench Load/clients=1000  time/op 22.20s  relay-p99 565.25µs  89.6Mi rss-bytes  3 errors
`
	if diff := cmp.Diff(strings.Fields(want), strings.Fields(b.String())); diff != "" {
		t.Errorf("table (-want +got):\n%s\n%s", diff, b.String())
	}
}

func TestDnsperfOutput(t *testing.T) {
	res := []byte(`Statistics:
  Queries sent:         502871
  Queries completed:    502865 (100.00%)
  Queries lost:         6 (0.00%)
  Queries per second:   100445.227041
  Average Latency (s):  0.001602 (min 0.000016, max 0.018052)
`)
	if q, l, lost := match(qpsLine, res), match(latencyLine, res), match(lostLine, res); q != 100445.227041 || l != 0.001602 || lost != 6 {
		t.Errorf("qps %v, latency %v, lost %v", q, l, lost)
	}
	if match(qpsLine, []byte("no statistics")) != 0 {
		t.Error("a figure read from nothing")
	}
}
