package bench

import (
	"math/bits"
	"time"
)

// subBits is the number of mantissa bits kept per power of two: values are recorded with a
// relative error under 1/2^subBits (1.6 %), in fixed memory.
const (
	subBits    = 6
	subCount   = 1 << subBits
	histShifts = 40 // up to 2^46 µs (two years): every latency fits
)

// Histogram is a log-linear latency histogram in microseconds (HDR-like, without the library):
// exact below 64 µs, then 64 buckets per power of two. Not safe for concurrent use: each worker
// keeps its own and they are merged.
type Histogram struct {
	counts [subCount * (histShifts + 1)]int64
	n      int64
	max    int64
}

// bucket returns the index of value v (µs).
func bucket(v int64) int {
	if v < subCount {
		return int(v)
	}
	shift := bits.Len64(uint64(v)) - subBits - 1
	if shift >= histShifts {
		return len(Histogram{}.counts) - 1
	}
	return subCount + shift*subCount + int(v>>uint(shift)) - subCount
}

// bucketValue is the value a bucket stands for: the middle of its range (exact below 64).
func bucketValue(i int) int64 {
	if i < subCount {
		return int64(i)
	}
	shift := (i - subCount) / subCount
	sub := int64((i-subCount)%subCount + subCount)
	lo := sub << uint(shift)
	return lo + (int64(1)<<uint(shift))/2
}

// Record adds one latency.
func (h *Histogram) Record(d time.Duration) {
	v := d.Microseconds()
	if v < 0 {
		v = 0
	}
	h.counts[bucket(v)]++
	h.n++
	h.max = max(h.max, v)
}

// Merge adds the counts of o.
func (h *Histogram) Merge(o *Histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.max = max(h.max, o.max)
}

// Count is the number of recorded values.
func (h *Histogram) Count() int64 { return h.n }

// Quantile returns the latency below which a fraction q (0..1) of the values fall (0 when empty).
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := int64(q*float64(h.n) + 0.999999)
	rank = min(max(rank, 1), h.n)
	var seen int64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return time.Duration(min(bucketValue(i), h.max)) * time.Microsecond
		}
	}
	return time.Duration(h.max) * time.Microsecond
}

// Max is the largest recorded latency.
func (h *Histogram) Max() time.Duration { return time.Duration(h.max) * time.Microsecond }
