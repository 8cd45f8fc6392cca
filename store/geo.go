package store

import (
	"math"
	"strconv"
)

// EarthRadiusKm is the mean Earth radius (IUGG) of every great-circle distance: the near filter
// and the near sort of every backend use DistanceKm, so that they agree to the last bit.
const EarthRadiusKm = 6371.0088

// DistanceKm is the great-circle (haversine) distance between two WGS84 positions in degrees.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * EarthRadiusKm * math.Asin(math.Min(1, math.Sqrt(a)))
}

// DistanceKey encodes a distance (km, >= 0) as the Position key of a near sort: 16 hex digits
// whose byte order is the numeric order (the IEEE bits with the sign bit set).
func DistanceKey(km float64) string {
	if !(km >= 0) { // NaN or negative: never produced by DistanceKm
		km = 0
	}
	return strconv.FormatUint(math.Float64bits(km)|1<<63, 16) // the top bit set: always 16 digits
}
