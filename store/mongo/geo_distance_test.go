package mongo

import (
	"math"
	"math/rand/v2"
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
		{"antipodes", 0, 0, 0, 180, math.Pi * earthRadiusKm},
	}
	for _, c := range cases {
		if got := distanceKm(c.lat1, c.lon1, c.lat2, c.lon2); math.Abs(got-c.want) > 0.5 {
			t.Errorf("%s: %.2f km, want %.1f", c.name, got, c.want)
		}
	}
}

// Every point within km of the centre lies in the box.
func TestBoxAroundHoldsTheCircle(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 2000 {
		lat, lon := r.Float64()*170-85, r.Float64()*350-175
		km := r.Float64() * 500
		b := boxAround(lat, lon, km)
		for range 20 {
			// A point at a random bearing, at a random distance up to km (direct geodesic problem).
			d, brg := r.Float64()*km/earthRadiusKm, r.Float64()*2*math.Pi
			φ1, λ1 := lat*math.Pi/180, lon*math.Pi/180
			φ2 := math.Asin(math.Sin(φ1)*math.Cos(d) + math.Cos(φ1)*math.Sin(d)*math.Cos(brg))
			λ2 := λ1 + math.Atan2(math.Sin(brg)*math.Sin(d)*math.Cos(φ1), math.Cos(d)-math.Sin(φ1)*math.Sin(φ2))
			plat, plon := φ2*180/math.Pi, λ2*180/math.Pi
			if plat < b.latLo || plat > b.latHi {
				t.Fatalf("(%f,%f) r=%f km: point (%f,%f) outside latitudes [%f,%f]", lat, lon, km, plat, plon, b.latLo, b.latHi)
			}
			if b.lonOK && (plon < b.lonLo || plon > b.lonHi) {
				t.Fatalf("(%f,%f) r=%f km: point (%f,%f) outside longitudes [%f,%f]", lat, lon, km, plat, plon, b.lonLo, b.lonHi)
			}
		}
	}
}
