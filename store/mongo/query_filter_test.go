package mongo

import (
	"math"
	"testing"

	"github.com/rorfhir/ror/store"
)

// intBounds must agree with cmpIntFloat: x is in the range exactly when "x <Cmp> v" holds.
func TestIntBoundsAgreeWithComparison(t *testing.T) {
	values := []float64{0, 0.5, -0.5, 3, -3, 2.9999, 1e18 + 0.5, 0x1p63, -0x1p63, 1e19, -1e19, math.Inf(1), math.Inf(-1)}
	xs := []int64{0, 1, -1, 3, -3, 2, 4, math.MaxInt64, math.MinInt64, 1e18, 1e18 + 1}
	for _, v := range values {
		for _, c := range []store.CmpOp{store.CmpLT, store.CmpLE, store.CmpGT, store.CmpGE} {
			lo, hi, ok := intBounds(store.Bound{Cmp: c, Value: v})
			for _, x := range xs {
				want := cmpHolds(cmpIntFloat(x, v), c)
				got := ok && x >= lo && x <= hi
				if got != want {
					t.Errorf("%d cmp%d %g: range [%d,%d] ok=%v says %v, comparison says %v", x, c, v, lo, hi, ok, got, want)
				}
			}
		}
	}
}

func TestCmpIntFloat(t *testing.T) {
	cases := []struct {
		a    int64
		b    float64
		want int
	}{
		{1, 1, 0}, {1, 1.5, -1}, {2, 1.5, 1}, {-2, -1.5, -1}, {-1, -1.5, 1},
		{math.MaxInt64, 0x1p63, -1}, {math.MinInt64, -0x1p63, 0}, {0, math.NaN(), -1},
	}
	for _, c := range cases {
		if got := cmpIntFloat(c.a, c.b); got != c.want {
			t.Errorf("cmpIntFloat(%d, %g) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestSortFieldEscapes(t *testing.T) {
	for in, want := range map[string]string{"name": "so.name", "a.b": "so.a%2Eb", "$x": "so.%24x", "50%": "so.50%25"} {
		if got := sortField(in); got != want {
			t.Errorf("sortField(%q) = %q, want %q", in, got, want)
		}
	}
}
