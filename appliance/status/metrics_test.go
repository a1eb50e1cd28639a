package status

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/psobox/psobox/internal/testenv"

	dto "github.com/prometheus/client_model/go"
)

// parseMetrics reads the exposition with Prometheus's own parser, which
// rejects malformed lines, duplicate families and bad escapes.
func parseMetrics(t *testing.T, body string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("the Prometheus parser rejects /metrics: %v\n%s", err, body)
	}
	for name := range fams {
		if !model.LegacyValidation.IsValidMetricName(name) {
			t.Errorf("metric name %q is not a classic Prometheus name", name)
		}
	}
	return fams
}

// values flattens families into "name{label=value,...}" -> value, labels
// sorted by name.
func values(fams map[string]*dto.MetricFamily) map[string]float64 {
	out := map[string]float64{}
	for name, f := range fams {
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			slices.Sort(labels)
			key := name
			if len(labels) > 0 {
				key += "{" + strings.Join(labels, ",") + "}"
			}
			switch f.GetType() {
			case dto.MetricType_COUNTER:
				out[key] = m.GetCounter().GetValue()
			default:
				out[key] = m.GetGauge().GetValue()
			}
		}
	}
	return out
}

func TestMetricsParseAndCount(t *testing.T) {
	base, _, _ := start(t, fakeOptions())
	_, body := get(t, "GET", base+"/metrics")
	got := values(parseMetrics(t, body))
	for key, want := range map[string]float64{
		"psobox_up": 1,
		"psobox_build_info{goversion=go1.26.8,version=v1.0 (commit abc)}": 1,
		"psobox_mode_info{mode=island}":                                   1,
		"psobox_start_time_seconds":                                       float64(started.Unix()),
		"psobox_uptime_seconds":                                           3*3600 + 25,
		"process_resident_memory_bytes":                                   12 << 20,
		"process_open_fds":                                                17,
		"go_goroutines":                                                   42,
		"psobox_warnings{level=info}":                                     1,
		"psobox_warnings{level=error}":                                    0,
		"psobox_service_running{service=game}":                            1,
		"psobox_dns_queries_total{rcode=NOERROR}":                         8,
		"psobox_dns_queries_total{rcode=REFUSED}":                         1,
		"psobox_dns_queries_dropped_total":                                1,
		"psobox_dns_cache_hits_total":                                     2,
		"psobox_dns_cache_misses_total":                                   3,
		"psobox_dhcp_leases_active":                                       2,
		"psobox_dhcp_rogue_servers":                                       1,
		"psobox_dhcp_serving":                                             1,
		"psobox_dhcp_requests_total{type=discover}":                       3,
		"psobox_dhcp_replies_total{type=nak}":                             1,
		"psobox_players_online{version=GC Ep1&2}":                         1,
		"psobox_players_online{version=PC}":                               1,
		"psobox_lobbies":                                                  3,
		"psobox_games":                                                    1,
	} {
		if v, ok := got[key]; !ok || v != want {
			t.Errorf("%s = %v (present %v), want %v", key, v, ok, want)
		}
	}
}

// Without parts, their families are left out and the rest still parses.
func TestMetricsWithoutParts(t *testing.T) {
	base, _, _ := start(t, Options{Listen: "127.0.0.1:0", Mode: "server"})
	_, body := get(t, "GET", base+"/metrics")
	fams := parseMetrics(t, body)
	for name := range fams {
		if strings.HasPrefix(name, "psobox_dns_") || strings.HasPrefix(name, "psobox_dhcp_") || name == "psobox_players_online" {
			t.Errorf("%s exported with its service off", name)
		}
	}
	if got := values(fams)["process_resident_memory_bytes"]; got <= 0 {
		t.Errorf("process_resident_memory_bytes = %v, want this process's RSS", got)
	}
}

// Label values and help texts come from consoles and config: quotes,
// backslashes, newlines and bad UTF-8 must survive the parser.
func TestPromWriterEscapes(t *testing.T) {
	var w promWriter
	nasty := "a\"b\\c\nd}\xff{e=\"f\""
	w.gauge("psobox_test", "help with \\ and\nnewline", labelled("version", nasty, 1.5), labelled("version", "", math.Inf(1)))
	w.counter("psobox_test_total", "", one(math.NaN()))
	fams := parseMetrics(t, w.buf.String())
	gauge := fams["psobox_test"]
	if gauge.GetHelp() != "help with \\ and\nnewline" {
		t.Errorf("help = %q", gauge.GetHelp())
	}
	got := []string{gauge.GetMetric()[0].GetLabel()[0].GetValue(), gauge.GetMetric()[1].GetLabel()[0].GetValue()}
	if diff := cmp.Diff([]string{"a\"b\\c\nd}\uFFFD{e=\"f\"", ""}, got); diff != "" {
		t.Errorf("label values (-want +got):\n%s", diff)
	}
	if v := gauge.GetMetric()[1].GetGauge().GetValue(); !math.IsInf(v, 1) {
		t.Errorf("+Inf read back as %v", v)
	}
	if v := fams["psobox_test_total"].GetMetric()[0].GetCounter().GetValue(); !math.IsNaN(v) {
		t.Errorf("NaN read back as %v", v)
	}
}

func TestFormatValue(t *testing.T) {
	for v, want := range map[float64]string{
		0: "0", 1: "1", 1e6: "1000000", 12582912: "12582912", 1.5: "1.5", -3: "-3",
		1e20: "1e+20", 0.001: "0.001", math.Inf(-1): "-Inf",
	} {
		if got := formatValue(v); got != want {
			t.Errorf("formatValue(%v) = %q, want %q", v, got, want)
		}
	}
}

// docs/status.md lists every metric family the server exports, no more.
func TestDocsListTheMetrics(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "docs", "status.md"))
	if err != nil {
		t.Fatal(err)
	}
	var documented []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\| (gauge|counter) \\|").FindAllSubmatch(doc, -1) {
		documented = append(documented, string(m[1]))
	}
	base, _, _ := start(t, fakeOptions())
	_, body := get(t, "GET", base+"/metrics")
	var exported []string
	for name := range parseMetrics(t, body) {
		exported = append(exported, name)
	}
	slices.Sort(documented)
	slices.Sort(exported)
	if diff := cmp.Diff(exported, documented); diff != "" {
		t.Errorf("metrics (-exported +documented):\n%s", diff)
	}
}

// The checks above are only worth something if the parser refuses what
// Prometheus would refuse.
func TestParserRefusesBrokenExposition(t *testing.T) {
	for _, broken := range []string{
		"psobox_x{a=\"b} 1\n",    // unterminated label value
		"psobox_x 1 2 3\n",       // a third field
		"psobox_x{0a=\"b\"} 1\n", // label name starting with a digit
		"# TYPE psobox_x gauge\npsobox_x one\n",
		"# TYPE psobox_x counter\n# TYPE psobox_x gauge\npsobox_x 1\n",
	} {
		p := expfmt.NewTextParser(model.UTF8Validation)
		if _, err := p.TextToMetricFamilies(strings.NewReader(broken)); err == nil {
			t.Errorf("parser accepted %q", broken)
		}
	}
}
