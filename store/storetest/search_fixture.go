package storetest

import (
	"math"
	"testing"
	"time"

	"github.com/rorfhir/ror/store"
)

// Systems and instants of the search fixture.
const (
	sysFiness = "urn:oid:1.2.250.1.71.4.2.2"
	sysSiret  = "urn:siret"
	sysJ20    = "https://mos.esante.gouv.fr/NOS/TRE_R66"
	sysUCUM   = "http://unitsofmeasure.org"
	profROR   = "http://ror/StructureDefinition/ror-organization"
)

func tok(p, sys, code, text string) store.TokenValue {
	return store.TokenValue{Param: p, System: sys, Code: code, Text: text}
}

func str(p, exact, norm string) store.StringValue {
	return store.StringValue{Param: p, Norm: norm, Exact: exact}
}

func ref(p, typ, id string) store.ReferenceValue {
	return store.ReferenceValue{Param: p, Type: typ, ID: id}
}

func srt(p, k string) store.SortValue { return store.SortValue{Param: p, Key: k} }

// ms is the Unix milliseconds of a UTC date-time.
func ms(y int, m time.Month, d, h, mi, s, milli int) int64 {
	return time.Date(y, m, d, h, mi, s, milli*1e6, time.UTC).UnixMilli()
}

// Geographic points of the fixture.
const (
	parisLat, parisLon         = 48.8566, 2.3522
	versaillesLat, versailleLo = 48.8049, 2.1204 // about 18 km from Paris
	lyonLat, lyonLon           = 45.7640, 4.8357 // about 392 km from Paris
)

// fixture is the search dataset: Organizations org1..org5 (org4 deleted, org5 updated),
// Locations, HealthcareServices and PractitionerRoles referring to them.
func fixture() []store.Write {
	org := func(id string, vid int64, n int, ix store.Index) store.Write {
		return write("Organization", id, vid, n, ix)
	}
	return []store.Write{
		org("org1", 1, 1, store.Index{
			Tokens: []store.TokenValue{tok("identifier", sysFiness, "100", ""), tok("type", sysJ20, "A", "hopital general"),
				tok("active", "", "true", "")},
			Strings:    []store.StringValue{str("name", "Bénédicte Hospital", "benedicte hospital")},
			Dates:      []store.DateValue{{Param: "founded", Lo: ms(2020, 1, 1, 0, 0, 0, 0), Hi: ms(2020, 12, 31, 23, 59, 59, 999)}},
			Numbers:    []store.NumberValue{{Param: "beds", Value: 4.5}, {Param: "weight", Value: 10, System: sysUCUM, Code: "kg"}},
			URIs:       []store.URIValue{{Param: "_profile", URI: profROR}},
			Sorts:      []store.SortValue{srt("name", "benedicte hospital"), srt("rank", "b"), srt("kind", "x")},
			References: nil,
		}),
		org("org2", 1, 2, store.Index{
			Tokens: []store.TokenValue{tok("identifier", sysFiness, "200", ""), tok("identifier", sysSiret, "200", ""),
				tok("type", sysJ20, "B", "clinique"), tok("active", "", "false", "")},
			Strings:    []store.StringValue{str("name", "Clinique du Parc", "clinique du parc")},
			Dates:      []store.DateValue{{Param: "founded", Lo: ms(2021, 6, 15, 12, 0, 0, 0), Hi: ms(2021, 6, 15, 12, 0, 0, 0)}},
			Numbers:    []store.NumberValue{{Param: "beds", Value: 10}, {Param: "weight", Value: 10000, System: sysUCUM, Code: "g"}},
			URIs:       []store.URIValue{{Param: "_profile", URI: profROR + "-v2"}},
			References: []store.ReferenceValue{ref("partof", "Organization", "org1")},
			Sorts:      []store.SortValue{srt("name", "clinique du parc"), srt("rank", "a"), srt("kind", "x")},
		}),
		org("org3", 1, 3, store.Index{
			Tokens:     []store.TokenValue{tok("identifier", "", "300", ""), tok("type", sysJ20, "A", "hopital de jour")},
			Strings:    []store.StringValue{str("name", "Centre Benoît", "centre benoit")},
			Dates:      []store.DateValue{{Param: "founded", Lo: ms(2019, 1, 1, 0, 0, 0, 0), Hi: math.MaxInt64}},
			References: []store.ReferenceValue{ref("partof", "Organization", "org2")},
			Sorts:      []store.SortValue{srt("rank", "b"), srt("kind", "x")},
		}),
		org("org4", 1, 4, store.Index{
			Tokens:  []store.TokenValue{tok("identifier", sysFiness, "100", ""), tok("active", "", "true", "")},
			Strings: []store.StringValue{str("name", "Bénédicte Annexe", "benedicte annexe")},
			Sorts:   []store.SortValue{srt("name", "benedicte annexe")},
		}),
		tombstone("Organization", "org4", 2, 5),
		org("org5", 1, 6, store.Index{
			Tokens:  []store.TokenValue{tok("identifier", sysFiness, "500old", "")},
			Strings: []store.StringValue{str("name", "Old Name", "old name")},
			Numbers: []store.NumberValue{{Param: "beds", Value: 1}},
		}),
		org("org5", 2, 7, store.Index{
			Tokens:  []store.TokenValue{tok("identifier", sysFiness, "500", "")},
			Strings: []store.StringValue{str("name", "Maison Rose", "maison rose")},
			Numbers: []store.NumberValue{{Param: "beds", Value: 100}},
			Sorts:   []store.SortValue{srt("name", "maison rose"), srt("kind", "x")},
			// Open start: "closed on or before 2018-05-01".
			Dates: []store.DateValue{{Param: "closed", Lo: math.MinInt64, Hi: ms(2018, 5, 1, 23, 59, 59, 999)}},
		}),
		write("Location", "loc1", 1, 8, store.Index{
			Coords:     []store.CoordValue{{Param: "near", Lat: parisLat, Lon: parisLon}},
			References: []store.ReferenceValue{ref("organization", "Organization", "org1")},
			Strings:    []store.StringValue{str("address-city", "Paris", "paris")},
		}),
		write("Location", "loc2", 1, 9, store.Index{
			Coords:     []store.CoordValue{{Param: "near", Lat: lyonLat, Lon: lyonLon}},
			References: []store.ReferenceValue{ref("organization", "Organization", "org2")},
			Strings:    []store.StringValue{str("address-city", "Lyon", "lyon")},
		}),
		write("Location", "loc3", 1, 10, store.Index{
			Coords:     []store.CoordValue{{Param: "near", Lat: versaillesLat, Lon: versailleLo}},
			References: []store.ReferenceValue{{Param: "organization", URL: "http://other.example/fhir/Organization/org1"}},
			Strings:    []store.StringValue{str("address-city", "Versailles", "versailles")},
		}),
		write("Location", "loc4", 1, 11, store.Index{
			References: []store.ReferenceValue{ref("organization", "Organization", "org3")},
		}),
		write("Location", "loc5", 1, 12, store.Index{
			References: []store.ReferenceValue{ref("organization", "Organization", "org4")},
			Strings:    []store.StringValue{str("address-city", "Paris", "paris")},
		}),
		write("Location", "loc6", 1, 12, store.Index{ // same id as org1, another type
			References: []store.ReferenceValue{ref("organization", "Location", "org1")},
		}),
		write("HealthcareService", "hs1", 1, 13, store.Index{
			References: []store.ReferenceValue{ref("organization", "Organization", "org1"), ref("location", "Location", "loc1")},
		}),
		write("HealthcareService", "hs2", 1, 14, store.Index{
			References: []store.ReferenceValue{ref("organization", "Organization", "org2"), ref("location", "Location", "loc2")},
		}),
		write("PractitionerRole", "pr1", 1, 15, store.Index{
			References: []store.ReferenceValue{ref("service", "HealthcareService", "hs1")},
			Tokens:     []store.TokenValue{tok("role", "urn:role", "doc", "")},
		}),
		write("PractitionerRole", "pr2", 1, 16, store.Index{
			References: []store.ReferenceValue{ref("service", "HealthcareService", "hs2")},
			Tokens:     []store.TokenValue{tok("role", "urn:role", "nurse", "")},
		}),
	}
}

// load writes the fixture into s.
func load(t *testing.T, s store.Store, ws []store.Write) []store.Version {
	t.Helper()
	out := make([]store.Version, len(ws))
	for i, w := range ws {
		out[i] = mustPut(t, s, w)
	}
	return out
}
