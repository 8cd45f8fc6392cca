package sqlite_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/rorfhir/ror/store"
	"github.com/rorfhir/ror/store/sqlite"
)

// The shapes of the slow searches of issue 4 on a dataset shaped as rorbench's: HealthcareServices
// with an activity (specialty, J17) and a care mode (characteristic, J19) distributed as
// internal/bench generates them, written in id order, the second half after an instant T (so that
// the matches of _lastUpdated=geT are the second half of the id order), next to the Organizations
// they reference.

const (
	shapeServices = 50_000
	shapeOrgs     = 20_000
	shapeJ17      = "https://mos.esante.gouv.fr/NOS/TRE_R211-ActiviteOperationnelle/FHIR/TRE-R211-ActiviteOperationnelle"
	shapeJ19      = "https://mos.esante.gouv.fr/NOS/TRE_R213-ModePriseEnCharge/FHIR/TRE-R213-ModePriseEnCharge"
	shapeAct      = 450 // J17 codes
	shapeModes    = 37  // J19 codes
)

var shapeStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// shapeCodes is the activity and care mode of service i (internal/bench serviceCodes).
func shapeCodes(i int) (act, mode int) {
	act = (i * 7) % shapeAct
	if i%4 == 0 {
		act = (i / 4) % 8
	}
	mode = (i / 3) % 4
	if i%5 == 0 {
		mode = (i * 11) % shapeModes
	}
	return act, mode
}

// shapeService is the write of service i: about 1.5 KB of JSON, its index values as the search
// layer extracts them (specialty, characteristic, organization, location, _lastUpdated, _id...).
func shapeService(i int) store.Write {
	id := fmt.Sprintf("hs-%06d", i)
	act, mode := shapeCodes(i)
	lu := shapeStart.Add(time.Duration(i) * time.Second)
	org := fmt.Sprintf("org-%06d", (i*31)%shapeOrgs)
	loc := fmt.Sprintf("loc-%06d", (i*31)%shapeOrgs)
	body := fmt.Sprintf(`{"resourceType":"HealthcareService","id":%q,"meta":{"versionId":"1","lastUpdated":%q,`+
		`"profile":["https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/ror-healthcareservice"]},`+
		`"extension":[{"url":"https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/ror-healthcareservice-sensitive-unit","valueBoolean":false},`+
		`{"url":"https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/ror-meta-creation-date","valueDateTime":"2020-01-01T08:30:00+01:00"}],`+
		`"identifier":[{"value":"11/%07d"}],"active":true,"providedBy":{"reference":"Organization/%s"},`+
		`"category":[{"coding":[{"system":"https://mos.esante.gouv.fr/NOS/TRE_R244-CategorieOrganisation/FHIR/TRE-R244-CategorieOrganisation","code":"157","display":"Unité hospitalière de gynécologie"}]}],`+
		`"specialty":[{"coding":[{"system":%q,"code":"%03d","display":"Activité opérationnelle numéro %d"}]}],`+
		`"characteristic":[{"coding":[{"system":%q,"code":"%02d","display":"Mode de prise en charge %d"}]}],`+
		`"name":"Activité %d - mode %d","location":[{"reference":"Location/%s"}]}`,
		id, lu.Format(time.RFC3339Nano), i, org, shapeJ17, act, act, shapeJ19, mode, mode, act, mode, loc)
	return store.Write{Type: "HealthcareService", ID: id, VersionID: 1, LastUpdated: lu, Body: []byte(body),
		Index: store.Index{
			Tokens: []store.TokenValue{
				{Param: "_id", Code: id},
				{Param: "active", Code: "true"},
				{Param: "identifier", Code: fmt.Sprintf("11/%07d", i)},
				{Param: "specialty", System: shapeJ17, Code: fmt.Sprintf("%03d", act)},
				{Param: "characteristic", System: shapeJ19, Code: fmt.Sprintf("%02d", mode)},
				{Param: "service-category", System: "https://mos.esante.gouv.fr/NOS/TRE_R244-CategorieOrganisation/FHIR/TRE-R244-CategorieOrganisation", Code: "157"},
			},
			Strings:    []store.StringValue{{Param: "name", Norm: fmt.Sprintf("activite %d - mode %d", act, mode), Exact: fmt.Sprintf("Activité %d - mode %d", act, mode)}},
			Dates:      []store.DateValue{{Param: "_lastUpdated", Lo: lu.UnixMilli(), Hi: lu.UnixMilli()}},
			References: []store.ReferenceValue{{Param: "organization", Type: "Organization", ID: org}, {Param: "location", Type: "Location", ID: loc}},
			URIs:       []store.URIValue{{Param: "_profile", URI: "https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/ror-healthcareservice"}},
			Sorts:      []store.SortValue{{Param: "_lastUpdated", Key: lu.Format("20060102150405.000")}},
		}}
}

// loadShapes opens a store holding shapeOrgs Organizations and shapeServices services.
func loadShapes(b *testing.B) *sqlite.Store {
	b.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(b.TempDir(), "ror.db")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close(ctx) })
	for lo := 0; lo < shapeOrgs; lo += 1000 {
		ws := make([]store.Write, 0, 1000)
		for i := lo; i < lo+1000; i++ {
			w := benchWrite(i, 1)
			w.ID = fmt.Sprintf("org-%06d", i)
			ws = append(ws, w)
		}
		if _, err := s.PutMany(ctx, ws); err != nil {
			b.Fatal(err)
		}
	}
	for lo := 0; lo < shapeServices; lo += 1000 {
		ws := make([]store.Write, 0, 1000)
		for i := lo; i < lo+1000; i++ {
			ws = append(ws, shapeService(i))
		}
		if _, err := s.PutMany(ctx, ws); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// shapeDelta is HealthcareService?_lastUpdated=ge{T} with half of the services at or after T
// (the second half of the id order); spread moves T so that the matches are every other service.
func shapeDelta() store.Query {
	t := shapeStart.Add(shapeServices / 2 * time.Second).UnixMilli()
	return store.Query{Type: "HealthcareService", Count: 200, Where: []store.Clause{{Any: []store.Cond{{Param: "_lastUpdated",
		Kind: store.KindDate, Op: store.OpRange, Bounds: []store.Bound{{Field: store.FieldHi, Cmp: store.CmpGE, Value: float64(t)}}}}}}}
}

// shapeActivityMode is HealthcareService?specialty=J17|a&characteristic=J19|m for the codes of
// one of the first 400 services (rorbench's candidates).
func shapeActivityMode(r *rand.Rand) store.Query {
	act, mode := shapeCodes(r.IntN(400))
	return store.Query{Type: "HealthcareService", Count: 200, Where: []store.Clause{
		{Any: []store.Cond{{Param: "specialty", Kind: store.KindToken, System: shapeJ17, Code: fmt.Sprintf("%03d", act)}}},
		{Any: []store.Cond{{Param: "characteristic", Kind: store.KindToken, System: shapeJ19, Code: fmt.Sprintf("%02d", mode)}}},
	}}
}

// BenchmarkSearchShapes: one op is the first page (200) of a search of issue 4's shapes.
func BenchmarkSearchShapes(b *testing.B) {
	ctx := context.Background()
	s := loadShapes(b)
	cases := []struct {
		name string
		q    func(r *rand.Rand) store.Query
	}{
		{"delta _lastUpdated >= T (25k of 50k, at the end of the id order)", func(*rand.Rand) store.Query { return shapeDelta() }},
		{"delta _lastUpdated >= T, sorted by _lastUpdated", func(*rand.Rand) store.Query {
			q := shapeDelta()
			q.Sort = []store.SortKey{{Param: "_lastUpdated"}}
			return q
		}},
		{"delta _lastUpdated >= T, sorted by _lastUpdated, bounded from T", func(*rand.Rand) store.Query {
			q := shapeDelta()
			from := shapeStart.Add(shapeServices / 2 * time.Second).Format("20060102150405.000")
			q.Sort = []store.SortKey{{Param: "_lastUpdated", KeyMin: &from}}
			return q
		}},
		{"delta _lastUpdated >= T, second page", func(*rand.Rand) store.Query {
			q := shapeDelta()
			q.After = &store.Position{ID: fmt.Sprintf("hs-%06d", shapeServices/2+199)}
			return q
		}},
		{"specialty & characteristic", shapeActivityMode},
		{"specialty (one code)", func(r *rand.Rand) store.Query {
			q := shapeActivityMode(r)
			q.Where = q.Where[:1]
			return q
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			n := 0
			for b.Loop() {
				res, err := s.Search(ctx, c.q(rng))
				if err != nil {
					b.Fatal(err)
				}
				n += len(res.Matches)
			}
			b.ReportMetric(float64(n)/float64(b.N), "matches/op")
		})
	}
}
