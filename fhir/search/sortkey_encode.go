package search

import (
	"math"
	"strconv"
)

// Sort keys are strings whose byte order is the order of the values (store.SortValue).

// int64Key encodes v as 16 hex digits with the sign bit flipped.
func int64Key(v int64) string {
	return hex16(uint64(v) ^ (1 << 63))
}

// float64Key encodes v so that byte order is numeric order (negative numbers included).
func float64Key(v float64) string {
	b := math.Float64bits(v)
	if b&(1<<63) != 0 {
		b = ^b
	} else {
		b |= 1 << 63
	}
	return hex16(b)
}

func hex16(u uint64) string {
	s := strconv.FormatUint(u, 16)
	const zeros = "0000000000000000"
	return zeros[:16-len(s)] + s
}
