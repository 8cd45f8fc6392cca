package search

import (
	"math"
	"sort"
	"testing"
)

func TestSortKeysKeepOrder(t *testing.T) {
	ints := []int64{math.MinInt64, -1e15, -1, 0, 1, 1714557600000, math.MaxInt64}
	for i := 1; i < len(ints); i++ {
		if int64Key(ints[i-1]) >= int64Key(ints[i]) {
			t.Errorf("int64Key(%d) >= int64Key(%d)", ints[i-1], ints[i])
		}
	}
	floats := []float64{math.Inf(-1), -1e300, -2.5, -1, -0.001, 0, 0.001, 1, 2.5, 45.5, 1e300, math.Inf(1)}
	keys := make([]string, len(floats))
	for i, f := range floats {
		keys[i] = float64Key(f)
		if len(keys[i]) != 16 {
			t.Fatalf("float64Key(%v) = %q: not 16 characters", f, keys[i])
		}
	}
	if !sort.StringsAreSorted(keys) {
		t.Errorf("float keys out of order: %v", keys)
	}
}
