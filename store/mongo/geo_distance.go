package mongo

import "math"

// earthRadiusKm is the mean Earth radius (IUGG) used for near.
const earthRadiusKm = 6371.0088

// distanceKm is the great-circle (haversine) distance between two WGS84 positions in degrees.
func distanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(a)))
}

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
