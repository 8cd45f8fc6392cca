package finess

import (
	"math"
	"testing"
)

// metres between two WGS84 points (spherical approximation, enough for metre-level checks).
func distance(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371000
	dlat, dlon := rad(lat2-lat1), rad(lon2-lon1)
	h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(rad(lat1))*math.Cos(rad(lat2))*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Sqrt(h))
}

// Lambert-93 constants as IGN publishes them (fiche Lambert 93, NTG_71 notation).
func TestLambert93Constants(t *testing.T) {
	p := lambert93()
	for _, c := range []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"n", p.N, 0.7256077650, 1e-10},
		{"c", p.C, 11754255.426, 1e-3},
		{"Xs", p.Xs, 700000, 1e-6},
		{"Ys", p.Ys, 12655612.050, 1e-3},
	} {
		if math.Abs(c.got-c.want) > c.tol {
			t.Errorf("%s = %.10f, want %.10f", c.name, c.got, c.want)
		}
	}
	// The projection origin maps back to (46.5°N, 3°E) by definition.
	lat, lon := p.Inverse(700000, 6600000)
	if d := distance(lat, lon, 46.5, 3); d > 0.001 {
		t.Errorf("origin: %.9f %.9f (%.4f m off)", lat, lon, d)
	}
}

// IGN ALG0004 test set (note NTG_71): constants given, expected radians.
func TestLCCInverseIGNExample(t *testing.T) {
	p := LCC{E: 0.0824832568, N: 0.7604059656, C: 11603796.98, Xs: 600000, Ys: 5657616.674, Lon0: 0.04079234433}
	lat, lon := p.Inverse(1029705.083, 272723.849)
	if math.Abs(rad(lon)-0.145512099) > 1e-9 || math.Abs(rad(lat)-0.872664626) > 1e-9 {
		t.Errorf("got λ=%.9f φ=%.9f rad, want 0.145512099 0.872664626", rad(lon), rad(lat))
	}
}

// Snyder, Map Projections: A Working Manual (USGS PP 1395), numerical examples on the Clarke 1866
// ellipsoid, which exercise the general formulas on another ellipsoid than the one coded.
func TestSnyderExamples(t *testing.T) {
	clarke := Ellipsoid{A: 6378206.4, F: 1 - 6356583.8/6378206.4}
	lcc := NewLCC2(clarke, 33, 45, 23, -96, 0, 0)
	lat, lon := lcc.Inverse(1894410.9, 1564649.5)
	if d := distance(lat, lon, 35, -75); d > 0.2 {
		t.Errorf("LCC: %.7f %.7f is %.3f m from 35N 75W", lat, lon, d)
	}
	tm := NewTM(clarke, 0.9996, -75, 0, 0)
	lat, lon = tm.Inverse(127106.5, 4484124.4)
	if d := distance(lat, lon, 40.5, -73.5); d > 0.2 {
		t.Errorf("TM: %.7f %.7f is %.3f m from 40.5N 73.5W", lat, lon, d)
	}
}

// GeographicLib's GeoConvert documentation example: 33.3N 44.4E is "38n 444140.54 3684706.36".
func TestUTMGeoConvertExample(t *testing.T) {
	lat, lon := utm(38, true).Inverse(444140.54, 3684706.36)
	if d := distance(lat, lon, 33.3, 44.4); d > 0.01 {
		t.Errorf("got %.8f %.8f, %.4f m off", lat, lon, d)
	}
}

func TestProjectionNames(t *testing.T) {
	cases := []struct {
		name     string
		lon0     float64
		south    bool
		wantFail bool
	}{
		{"UTM_N20", -63, false, false},
		{"UTM_N21", -57, false, false},
		{"UTM_N22", -51, false, false},
		{"UTM_S38", 45, true, false},
		{"UTM_S40", 57, true, false},
		{"LAMBERT_2E", 0, false, true},
		{"", 0, false, true},
	}
	for _, c := range cases {
		p, err := projectionFor(c.name)
		if c.wantFail {
			if err == nil {
				t.Errorf("%q: want an error", c.name)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", c.name, err)
		}
		// The central meridian at the equator is (500000, 0) north, (500000, 10000000) south.
		y := 0.0
		if c.south {
			y = 10000000
		}
		lat, lon := p.Inverse(500000, y)
		if math.Abs(lat) > 1e-12 || math.Abs(lon-c.lon0) > 1e-12 {
			t.Errorf("%s: origin gives %v %v", c.name, lat, lon)
		}
	}
}
