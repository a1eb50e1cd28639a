package status

import (
	"bytes"
	"math"
	"strconv"
	"strings"
)

// promContentType is the Prometheus text exposition format, version 0.0.4:
// "# HELP" and "# TYPE" lines, then one "name{label="value"} number" line
// per sample, each metric family written as one block.
const promContentType = "text/plain; version=0.0.4; charset=utf-8"

// promWriter writes metric families in the text format. It only writes
// names it is given by this package, which the tests check against the
// Prometheus parser; label values and help texts are escaped here.
type promWriter struct {
	buf bytes.Buffer
}

type label struct{ name, value string }

type sample struct {
	labels []label
	value  float64
}

// one is a family's single unlabelled sample.
func one(v float64) sample { return sample{value: v} }

// labelled is a sample with one label.
func labelled(name, value string, v float64) sample {
	return sample{labels: []label{{name, value}}, value: v}
}

func (w *promWriter) gauge(name, help string, samples ...sample) {
	w.family(name, "gauge", help, samples)
}

// counter names end in _total, as Prometheus's conventions ask.
func (w *promWriter) counter(name, help string, samples ...sample) {
	w.family(name, "counter", help, samples)
}

func (w *promWriter) family(name, typ, help string, samples []sample) {
	w.line("# HELP ", name, " ", helpEscaper.Replace(help))
	w.line("# TYPE ", name, " ", typ)
	for _, s := range samples {
		w.buf.WriteString(name)
		w.labels(s.labels)
		w.buf.WriteByte(' ')
		w.buf.WriteString(formatValue(s.value))
		w.buf.WriteByte('\n')
	}
}

func (w *promWriter) labels(ls []label) {
	if len(ls) == 0 {
		return
	}
	w.buf.WriteByte('{')
	for i, l := range ls {
		if i > 0 {
			w.buf.WriteByte(',')
		}
		w.buf.WriteString(l.name)
		w.buf.WriteString(`="`)
		w.buf.WriteString(labelEscaper.Replace(strings.ToValidUTF8(l.value, "\uFFFD")))
		w.buf.WriteByte('"')
	}
	w.buf.WriteByte('}')
}

func (w *promWriter) line(parts ...string) {
	for _, p := range parts {
		w.buf.WriteString(p)
	}
	w.buf.WriteByte('\n')
}

var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	labelEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

// formatValue writes whole numbers without an exponent (1000000, not
// 1e+06), others in Go's shortest form, and the specials as Prometheus
// spells them.
func formatValue(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
