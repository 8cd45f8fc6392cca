package finess

import (
	"fmt"
	"math"
)

// Ellipsoid is a reference ellipsoid: semi-major axis A (metres) and flattening F.
type Ellipsoid struct{ A, F float64 }

// grs80 is the ellipsoid of RGF93, RGAF09, RGFG95 and RGR92 (and, within 0.1 mm, of WGS84). The
// French frames are aligned on ITRS within a metre, so their geographic coordinates are taken as
// WGS84 without a datum shift.
var grs80 = Ellipsoid{A: 6378137, F: 1 / 298.257222101}

func (el Ellipsoid) e() float64 { return math.Sqrt(el.F * (2 - el.F)) }

// Projection converts projected coordinates (metres) to geographic latitude and longitude
// (degrees) on its ellipsoid.
type Projection interface {
	Inverse(x, y float64) (lat, lon float64)
}

// projectionFor returns the projection a FINESS sourcecoordet names (its last comma-separated item).
func projectionFor(name string) (Projection, error) {
	switch name {
	case "LAMBERT_93": // EPSG:2154
		return lambert93(), nil
	case "UTM_N20": // EPSG:5490, Guadeloupe and Martinique (RGAF09 / UTM 20N)
		return utm(20, true), nil
	case "UTM_N21": // EPSG:4467, Saint-Pierre-et-Miquelon (RGSPM06 / UTM 21N)
		return utm(21, true), nil
	case "UTM_N22": // EPSG:2972, Guyane (RGFG95 / UTM 22N)
		return utm(22, true), nil
	case "UTM_S38": // EPSG:4471, Mayotte (RGM04 / UTM 38S)
		return utm(38, false), nil
	case "UTM_S40": // EPSG:2975, La Réunion (RGR92 / UTM 40S)
		return utm(40, false), nil
	}
	return nil, fmt.Errorf("unknown projection %q", name)
}

// LCC is a Lambert conformal conic projection in the IGN notation (note NTG_71, algorithm
// ALG0004): cone constant N, projection constant C, pole coordinates Xs, Ys, central meridian
// Lon0 (radians).
type LCC struct {
	E            float64 // first eccentricity
	N, C, Xs, Ys float64
	Lon0         float64
}

// NewLCC2 computes the constants of a secant Lambert projection (IGN ALG0054) from its ellipsoid,
// standard parallels lat1 and lat2, origin lat0/lon0 (degrees) and false easting/northing.
func NewLCC2(el Ellipsoid, lat1, lat2, lat0, lon0, x0, y0 float64) LCC {
	e := el.e()
	p1, p2, p0 := rad(lat1), rad(lat2), rad(lat0)
	m := func(p float64) float64 { s := math.Sin(p); return math.Cos(p) / math.Sqrt(1-e*e*s*s) }
	n := (math.Log(m(p2)) - math.Log(m(p1))) / (isoLat(p1, e) - isoLat(p2, e))
	c := el.A * m(p1) / n * math.Exp(n*isoLat(p1, e))
	return LCC{E: e, N: n, C: c, Xs: x0, Ys: y0 + c*math.Exp(-n*isoLat(p0, e)), Lon0: rad(lon0)}
}

// isoLat is the isometric latitude (IGN ALG0001).
func isoLat(phi, e float64) float64 {
	s := math.Sin(phi)
	return math.Log(math.Tan(math.Pi/4+phi/2) * math.Pow((1-e*s)/(1+e*s), e/2))
}

// latFromIso inverts isoLat by fixed-point iteration (IGN ALG0002); converges to 1e-12 rad
// (6 µm) in a few steps.
func latFromIso(l, e float64) float64 {
	phi := 2*math.Atan(math.Exp(l)) - math.Pi/2
	for range 20 {
		s := math.Sin(phi)
		next := 2*math.Atan(math.Pow((1+e*s)/(1-e*s), e/2)*math.Exp(l)) - math.Pi/2
		if math.Abs(next-phi) < 1e-12 {
			return next
		}
		phi = next
	}
	return phi
}

// Inverse is IGN ALG0004.
func (p LCC) Inverse(x, y float64) (lat, lon float64) {
	dx, dy := x-p.Xs, y-p.Ys
	r := math.Hypot(dx, dy)
	gamma := math.Atan2(dx, -dy)
	l := -math.Log(r/p.C) / p.N
	return deg(latFromIso(l, p.E)), deg(p.Lon0 + gamma/p.N)
}

func lambert93() LCC { return NewLCC2(grs80, 44, 49, 46.5, 3, 700000, 6600000) }

// TM is a transverse Mercator projection with origin on the equator, inverted with the
// 6th-order Krüger series (C. F. F. Karney, "Transverse Mercator with an accuracy of a few
// nanometers", J. Geodesy 85, 2011): errors under 5 nm within 3,900 km of the central meridian.
type TM struct {
	el       Ellipsoid
	k0, lon0 float64 // lon0 in radians
	fe, fn   float64
	a        float64    // rectifying radius
	beta     [6]float64 // inverse series coefficients
}

// NewTM builds a transverse Mercator projection (latitude of origin 0).
func NewTM(el Ellipsoid, k0, lon0, falseEasting, falseNorthing float64) TM {
	n := el.F / (2 - el.F)
	n2, n3 := n*n, n*n*n
	n4, n5, n6 := n2*n2, n2*n3, n3*n3
	t := TM{el: el, k0: k0, lon0: rad(lon0), fe: falseEasting, fn: falseNorthing}
	t.a = el.A / (1 + n) * (1 + n2/4 + n4/64 + n6/256)
	t.beta = [6]float64{
		n/2 - 2*n2/3 + 37*n3/96 - n4/360 - 81*n5/512 + 96199*n6/604800,
		n2/48 + n3/15 - 437*n4/1440 + 46*n5/105 - 1118711*n6/3870720,
		17*n3/480 - 37*n4/840 - 209*n5/4480 + 5569*n6/90720,
		4397*n4/161280 - 11*n5/504 - 830251*n6/7257600,
		4583*n5/161280 - 108847*n6/3991680,
		20648693 * n6 / 638668800,
	}
	return t
}

// utm is the UTM zone on GRS80 (north: false northing 0; south: 10,000 km).
func utm(zone int, north bool) TM {
	fn := 10000000.0
	if north {
		fn = 0
	}
	return NewTM(grs80, 0.9996, float64(zone)*6-183, 500000, fn)
}

// Inverse converts easting x and northing y.
func (t TM) Inverse(x, y float64) (lat, lon float64) {
	xi := (y - t.fn) / (t.k0 * t.a)
	eta := (x - t.fe) / (t.k0 * t.a)
	xi1, eta1 := xi, eta
	for j, b := range t.beta {
		k := 2 * float64(j+1)
		xi1 -= b * math.Sin(k*xi) * math.Cosh(k*eta)
		eta1 -= b * math.Cos(k*xi) * math.Sinh(k*eta)
	}
	sinhEta, sinXi, cosXi := math.Sinh(eta1), math.Sin(xi1), math.Cos(xi1)
	tau1 := sinXi / math.Hypot(sinhEta, cosXi) // tan of the conformal latitude
	lam := math.Atan2(sinhEta, cosXi)
	return deg(math.Atan(tauFromConformal(tau1, t.el.e()))), deg(t.lon0 + lam)
}

// tauFromConformal solves tau' = tau*sqrt(1+sigma²) - sigma*sqrt(1+tau²) for tau = tan(latitude),
// sigma = sinh(e*atanh(e*tau/sqrt(1+tau²))), by Newton's method (Karney 2011, eqs. 7-9, 19-21).
func tauFromConformal(tau1, e float64) float64 {
	e2 := e * e
	tau := tau1
	for range 10 {
		s := math.Sqrt(1 + tau*tau)
		sigma := math.Sinh(e * math.Atanh(e*tau/s))
		taui := tau*math.Sqrt(1+sigma*sigma) - sigma*s
		d := (tau1 - taui) / math.Sqrt(1+taui*taui) * (1 + (1-e2)*tau*tau) / ((1 - e2) * s)
		tau += d
		if math.Abs(d) < 1e-14 {
			break
		}
	}
	return tau
}

func rad(d float64) float64 { return d * math.Pi / 180 }
func deg(r float64) float64 { return r * 180 / math.Pi }
