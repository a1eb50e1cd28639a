package load

import (
	"math/bits"
	"sync/atomic"
	"time"
)

// histogram counts durations in log-linear buckets: exact below 64 ns,
// then 32 buckets per power of two (about 3% wide), so quantiles are
// within 3% at any scale. Recording is lock-free and allocates nothing.
type histogram struct {
	counts [histBuckets]atomic.Uint64
	sum    atomic.Uint64
	max    atomic.Uint64
}

const (
	histSubBits = 5
	histLinear  = 2 << histSubBits // values below this have their own bucket
	histBuckets = histLinear + (64-histSubBits-1)<<histSubBits
)

func bucketOf(v uint64) int {
	if v < histLinear {
		return int(v)
	}
	shift := bits.Len64(v) - histSubBits - 1
	return histLinear + (shift-1)<<histSubBits + int(v>>shift) - 1<<histSubBits
}

// bucketMid is a representative value of bucket i: its middle.
func bucketMid(i int) uint64 {
	if i < histLinear {
		return uint64(i)
	}
	shift := (i-histLinear)>>histSubBits + 1
	m := uint64((i-histLinear)&(1<<histSubBits-1) + 1<<histSubBits)
	return m<<shift + 1<<(shift-1)
}

func (h *histogram) record(d time.Duration) {
	v := uint64(max(d, 0))
	h.counts[bucketOf(v)].Add(1)
	h.sum.Add(v)
	for {
		m := h.max.Load()
		if v <= m || h.max.CompareAndSwap(m, v) {
			return
		}
	}
}

// Latency summarises a histogram.
type Latency struct {
	Samples uint64        `json:"samples"`
	Mean    time.Duration `json:"mean_ns"`
	P50     time.Duration `json:"p50_ns"`
	P99     time.Duration `json:"p99_ns"`
	P999    time.Duration `json:"p999_ns"`
	Max     time.Duration `json:"max_ns"`
}

func (h *histogram) summary() Latency {
	var counts [histBuckets]uint64
	var n uint64
	for i := range h.counts {
		counts[i] = h.counts[i].Load()
		n += counts[i]
	}
	if n == 0 {
		return Latency{}
	}
	return Latency{
		Samples: n,
		Mean:    time.Duration(h.sum.Load() / n),
		P50:     quantile(&counts, n, 0.50),
		P99:     quantile(&counts, n, 0.99),
		P999:    quantile(&counts, n, 0.999),
		Max:     time.Duration(h.max.Load()),
	}
}

// quantile is the value below which a fraction q of the n samples lie.
func quantile(counts *[histBuckets]uint64, n uint64, q float64) time.Duration {
	rank := uint64(q*float64(n) + 0.5)
	rank = min(max(rank, 1), n)
	var seen uint64
	for i, c := range counts {
		seen += c
		if seen >= rank {
			return time.Duration(bucketMid(i))
		}
	}
	return 0
}
