package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// printTable prints every benchmark line of out as one table: the name,
// the iterations and each metric with its unit, the Go benchmarks first.
func printTable(w io.Writer, out string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "benchmark\tresults")
	pkg := ""
	for line := range strings.Lines(out) {
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimPrefix(strings.TrimSpace(p), "github.com/psobox/psobox/")
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\n", shortName(pkg, f[0]), metrics(f[2:]))
	}
	tw.Flush()
}

// shortName is the benchmark's package (without the module) and name,
// without the -GOMAXPROCS suffix.
func shortName(pkg, name string) string {
	name = strings.TrimPrefix(name, "Benchmark")
	if i := strings.LastIndexByte(name, '-'); i > 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			name = name[:i]
		}
	}
	return pkg + " " + name
}

// metrics formats value-unit pairs, times in readable units.
func metrics(f []string) string {
	var parts []string
	for i := 0; i+1 < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			continue
		}
		parts = append(parts, human(v, f[i+1]))
	}
	return strings.Join(parts, "  ")
}

func human(v float64, unit string) string {
	switch {
	case unit == "ns/op" || strings.HasSuffix(unit, "-ns"):
		name := strings.TrimSuffix(strings.TrimSuffix(unit, "-ns"), "ns/op")
		if name == "" {
			name = "time/op"
		}
		return name + " " + duration(v)
	case strings.HasSuffix(unit, "bytes") || strings.HasSuffix(unit, "bytes/client") || unit == "B/op":
		return fmt.Sprintf("%s %s", size(v), unit)
	}
	return strconv.FormatFloat(v, 'g', 4, 64) + " " + unit
}

func duration(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.2fs", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.3fms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.2fµs", ns/1e3)
	}
	return fmt.Sprintf("%.1fns", ns)
}

func size(b float64) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%.1fMi", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1fKi", b/(1<<10))
	}
	return fmt.Sprintf("%.0f", b)
}
