package mongo

import (
	"math"
	"math/rand/v2"
	"testing"
)

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
