package mongo

import (
	"math"

	"github.com/rorfhir/ror/store"
)

// earthRadiusKm is the Earth radius of every distance (store.DistanceKm).
const earthRadiusKm = store.EarthRadiusKm

// bbox is a latitude/longitude box (degrees) holding every point within km of (lat, lon), a
// little wider for rounding. lonOK is false when the box would cross a pole or the antimeridian:
// then only the latitude range filters.
type bbox struct {
	latLo, latHi, lonLo, lonHi float64
	lonOK                      bool
}

func boxAround(lat, lon, km float64) bbox {
	r := km / earthRadiusKm // angular radius
	dLat := r*180/math.Pi*1.001 + 1e-9
	b := bbox{latLo: lat - dLat, latHi: lat + dLat}
	if b.latLo <= -90 || b.latHi >= 90 {
		return b
	}
	// Widest longitude of a spherical cap (J. Matuschek, "Finding points within a distance").
	dLon := math.Asin(math.Min(1, math.Sin(r)/math.Cos(lat*math.Pi/180)))*180/math.Pi*1.001 + 1e-9
	b.lonLo, b.lonHi = lon-dLon, lon+dLon
	b.lonOK = b.lonLo > -180 && b.lonHi < 180
	return b
}
