package store

import (
	"math"
	"testing"
)

func TestDistanceKm(t *testing.T) {
	cases := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		want                   float64
	}{
		{"same point", 48.8566, 2.3522, 48.8566, 2.3522, 0},
		{"Paris-Lyon", 48.8566, 2.3522, 45.7640, 4.8357, 391.5},
		{"Paris-Versailles", 48.8566, 2.3522, 48.8049, 2.1204, 17.9},
		{"antipodes", 0, 0, 0, 180, math.Pi * EarthRadiusKm},
	}
	for _, c := range cases {
		if got := DistanceKm(c.lat1, c.lon1, c.lat2, c.lon2); math.Abs(got-c.want) > 0.5 {
			t.Errorf("%s: %.2f km, want %.1f", c.name, got, c.want)
		}
	}
}

// Distance keys sort as the distances do, byte-wise.
func TestDistanceKeyOrder(t *testing.T) {
	ds := []float64{0, 1e-300, 0.001, 0.5, 1, 17.9, 391.5, 1000, 20015.1}
	for i := 1; i < len(ds); i++ {
		a, b := DistanceKey(ds[i-1]), DistanceKey(ds[i])
		if len(a) != 16 || len(b) != 16 || a >= b {
			t.Errorf("DistanceKey(%g) = %q, DistanceKey(%g) = %q: not in order", ds[i-1], a, ds[i], b)
		}
	}
}
