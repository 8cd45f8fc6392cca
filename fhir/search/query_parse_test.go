package search

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/store"
)

func mustQuery(t *testing.T, q string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func lo(v float64) store.Bound { return store.Bound{Field: store.FieldLo, Cmp: store.CmpGE, Value: v} }

// TestParseQueryConditions: each query form gives the expected store conditions.
func TestParseQueryConditions(t *testing.T) {
	y24lo, y24hi := float64(ms("2024-01-01T00:00:00Z")), float64(ms("2024-12-31T23:59:59.999Z"))
	d, dHi := float64(ms("2024-05-01T10:00:00Z")), float64(ms("2024-05-01T10:00:00.999Z"))
	tests := []struct {
		typ, q string
		want   []store.Clause
	}{
		{"Organization", "_id=a,b", []store.Clause{{Any: []store.Cond{
			{Param: "_id", Kind: store.KindToken, AnySystem: true, Code: "a"}, {Param: "_id", Kind: store.KindToken, AnySystem: true, Code: "b"}}}}},
		{"Organization", "identifier=urn:oid:1.2|750", []store.Clause{{Any: []store.Cond{{Param: "identifier", Kind: store.KindToken, System: "urn:oid:1.2", Code: "750"}}}}},
		{"Organization", "identifier=|750", []store.Clause{{Any: []store.Cond{{Param: "identifier", Kind: store.KindToken, Code: "750"}}}}},
		{"Organization", "identifier=urn:oid:1.2|", []store.Clause{{Any: []store.Cond{{Param: "identifier", Kind: store.KindToken, System: "urn:oid:1.2", AnyCode: true}}}}},
		{"Organization", `identifier=a\|b`, []store.Clause{{Any: []store.Cond{{Param: "identifier", Kind: store.KindToken, AnySystem: true, Code: "a|b"}}}}},
		{"Organization", "identifier:of-type=http://t|FINESS|750", []store.Clause{{Any: []store.Cond{{Param: "identifier:of-type", Kind: store.KindToken, System: "http://t", Code: "FINESS|750"}}}}},
		{"Organization", "active:not=false", []store.Clause{{Any: []store.Cond{{Param: "active", Kind: store.KindToken, Not: true, AnySystem: true, Code: "false"}}}}},
		{"Organization", "type:text=Centre Hôpital", []store.Clause{{Any: []store.Cond{{Param: "type", Kind: store.KindToken, Op: store.OpText, Value: "centre hopital"}}}}},
		{"Organization", "_tag=http://s|c", []store.Clause{{Any: []store.Cond{{Param: "_tag", Kind: store.KindToken, System: "http://s", Code: "c"}}}}},
		{"Organization", "_security=R", []store.Clause{{Any: []store.Cond{{Param: "_security", Kind: store.KindToken, AnySystem: true, Code: "R"}}}}},
		{"Organization", "_profile=http://p", []store.Clause{{Any: []store.Cond{{Param: "_profile", Kind: store.KindURI, Value: "http://p"}}}}},
		{"Organization", "_profile:below=http://p/", []store.Clause{{Any: []store.Cond{{Param: "_profile", Kind: store.KindURI, Op: store.OpBelow, Value: "http://p/"}}}}},
		{"Organization", "_source:above=http://p/a/b", []store.Clause{{Any: []store.Cond{{Param: "_source", Kind: store.KindURI, Op: store.OpAbove, Value: "http://p/a/b"}}}}},
		{"Organization", "name=Bénédicte", []store.Clause{{Any: []store.Cond{{Param: "name", Kind: store.KindString, Op: store.OpPrefix, Value: "benedicte"}}}}},
		{"Organization", "name:exact=Bénédicte", []store.Clause{{Any: []store.Cond{{Param: "name", Kind: store.KindString, Op: store.OpExact, Value: "Bénédicte"}}}}},
		{"Organization", "name:contains=SAINT-Étienne", []store.Clause{{Any: []store.Cond{{Param: "name", Kind: store.KindString, Op: store.OpContains, Value: "saint etienne"}}}}},
		{"Organization", `name=a\,b`, []store.Clause{{Any: []store.Cond{{Param: "name", Kind: store.KindString, Op: store.OpPrefix, Value: "a,b"}}}}},
		{"Organization", "name=a&name=b", []store.Clause{
			{Any: []store.Cond{{Param: "name", Kind: store.KindString, Op: store.OpPrefix, Value: "a"}}},
			{Any: []store.Cond{{Param: "name", Kind: store.KindString, Op: store.OpPrefix, Value: "b"}}}}},
		{"Organization", "name:missing=true", []store.Clause{{Any: []store.Cond{{Param: "name", Kind: store.KindString, Op: store.OpMissing, Missing: true}}}}},
		{"Organization", "partof=Organization/1", []store.Clause{{Any: []store.Cond{{Param: "partof", Kind: store.KindReference, Type: "Organization", ID: "1"}}}}},
		{"Organization", "partof=1", []store.Clause{{Any: []store.Cond{{Param: "partof", Kind: store.KindReference, ID: "1"}}}}},
		{"Organization", "partof:Organization=1", []store.Clause{{Any: []store.Cond{{Param: "partof", Kind: store.KindReference, Type: "Organization", ID: "1"}}}}},
		{"Organization", "partof=https://ror.example/fhir/Organization/1", []store.Clause{{Any: []store.Cond{{Param: "partof", Kind: store.KindReference, Type: "Organization", ID: "1"}}}}},
		{"Organization", "partof=https://other.example/fhir/Organization/1", []store.Clause{{Any: []store.Cond{{Param: "partof", Kind: store.KindReference, URL: "https://other.example/fhir/Organization/1"}}}}},
		{"Organization", "partof:identifier=urn:oid:1|42", []store.Clause{{Any: []store.Cond{{Param: "partof:identifier", Kind: store.KindToken, System: "urn:oid:1", Code: "42"}}}}},
		{"Organization", "partof:missing=false", []store.Clause{{Any: []store.Cond{{Param: "partof", Kind: store.KindReference, Op: store.OpMissing}}}}},
		{"Organization", "_lastUpdated=2024", []store.Clause{{Any: []store.Cond{{Param: "_lastUpdated", Kind: store.KindDate, Op: store.OpRange,
			Bounds: []store.Bound{lo(y24lo), {Field: store.FieldHi, Cmp: store.CmpLE, Value: y24hi}}}}}}},
		{"Organization", "_lastUpdated=ne2024", []store.Clause{{Any: []store.Cond{{Param: "_lastUpdated", Kind: store.KindDate, Op: store.OpRange, Not: true,
			Bounds: []store.Bound{lo(y24lo), {Field: store.FieldHi, Cmp: store.CmpLE, Value: y24hi}}}}}}},
		{"Organization", "_lastUpdated=gt2024-05-01T10:00:00Z", []store.Clause{{Any: []store.Cond{{Param: "_lastUpdated", Kind: store.KindDate, Op: store.OpRange,
			Bounds: []store.Bound{{Field: store.FieldHi, Cmp: store.CmpGT, Value: dHi}}}}}}},
		{"Organization", "_lastUpdated=ge2024-05-01T12:00:00%2B02:00", []store.Clause{{Any: []store.Cond{{Param: "_lastUpdated", Kind: store.KindDate, Op: store.OpRange,
			Bounds: []store.Bound{{Field: store.FieldHi, Cmp: store.CmpGE, Value: d}}}}}}},
		{"Organization", "_lastUpdated=lt2024-05-01T10:00:00Z", []store.Clause{{Any: []store.Cond{{Param: "_lastUpdated", Kind: store.KindDate, Op: store.OpRange,
			Bounds: []store.Bound{{Field: store.FieldLo, Cmp: store.CmpLT, Value: d}}}}}}},
		{"Organization", "_lastUpdated=le2024-05-01T10:00:00Z", []store.Clause{{Any: []store.Cond{{Param: "_lastUpdated", Kind: store.KindDate, Op: store.OpRange,
			Bounds: []store.Bound{{Field: store.FieldLo, Cmp: store.CmpLE, Value: dHi}}}}}}},
		{"Organization", "_lastUpdated=sa2024", []store.Clause{{Any: []store.Cond{{Param: "_lastUpdated", Kind: store.KindDate, Op: store.OpRange,
			Bounds: []store.Bound{{Field: store.FieldLo, Cmp: store.CmpGT, Value: y24hi}}}}}}},
		{"Organization", "_lastUpdated=eb2024", []store.Clause{{Any: []store.Cond{{Param: "_lastUpdated", Kind: store.KindDate, Op: store.OpRange,
			Bounds: []store.Bound{{Field: store.FieldHi, Cmp: store.CmpLT, Value: y24lo}}}}}}},
		{"Location", "near=48.85|2.35|500|m", []store.Clause{{Any: []store.Cond{{Param: "near", Kind: store.KindNear, Lat: 48.85, Lon: 2.35, Km: 0.5}}}}},
		{"Location", "near=48.85|2.35", []store.Clause{{Any: []store.Cond{{Param: "near", Kind: store.KindNear, Lat: 48.85, Lon: 2.35, Km: nearDefaultKm}}}}},
		{"Task", "patient=Patient/7", []store.Clause{{Any: []store.Cond{{Param: "patient", Kind: store.KindReference, Type: "Patient", ID: "7"}}}}},
		{"PractitionerRole", "email=a@b.fr", []store.Clause{{Any: []store.Cond{{Param: "email", Kind: store.KindToken, AnySystem: true, Code: "a@b.fr"}}}}},
		{"Organization", "name=", nil},
	}
	reg := Default().WithBaseURL("https://ror.example/fhir")
	for _, tc := range tests {
		t.Run(tc.typ+"?"+tc.q, func(t *testing.T) {
			s, issues, err := reg.ParseQuery(tc.typ, mustQuery(t, tc.q), Options{Strict: true})
			if err != nil {
				t.Fatalf("ParseQuery: %v", err)
			}
			if len(issues) != 0 {
				t.Errorf("issues: %+v", issues)
			}
			if !reflect.DeepEqual(s.Query.Where, tc.want) {
				t.Errorf("Where =\n%+v\nwant\n%+v", s.Query.Where, tc.want)
			}
			if s.Query.Type != tc.typ {
				t.Errorf("Type = %q", s.Query.Type)
			}
		})
	}
}

func TestParseQueryNumbers(t *testing.T) {
	reg, err := NewRegistry(append(R4BaseParams(),
		Param{Code: "beds", Type: TypeNumber, Base: []string{"Location"}, Expression: "Location.extension.where(url='b').valueInteger"},
		Param{Code: "dist", Type: TypeQuantity, Base: []string{"Location"}, Expression: "Location.extension.where(url='d').valueQuantity"})...)
	if err != nil {
		t.Fatal(err)
	}
	v := func(c store.CmpOp, x float64) store.Bound {
		return store.Bound{Field: store.FieldValue, Cmp: c, Value: x}
	}
	tests := []struct {
		q    string
		want store.Cond
	}{
		{"beds=100", store.Cond{Param: "beds", Kind: store.KindNumber, Op: store.OpRange, Bounds: []store.Bound{v(store.CmpGE, 99.5), v(store.CmpLT, 100.5)}}},
		{"beds=ne1.50", store.Cond{Param: "beds", Kind: store.KindNumber, Op: store.OpRange, Not: true, Bounds: []store.Bound{v(store.CmpGE, 1.495), v(store.CmpLT, 1.505)}}},
		{"beds=gt5", store.Cond{Param: "beds", Kind: store.KindNumber, Op: store.OpRange, Bounds: []store.Bound{v(store.CmpGT, 5)}}},
		{"beds=le5", store.Cond{Param: "beds", Kind: store.KindNumber, Op: store.OpRange, Bounds: []store.Bound{v(store.CmpLE, 5)}}},
		{"beds=ap100", store.Cond{Param: "beds", Kind: store.KindNumber, Op: store.OpRange, Bounds: []store.Bound{v(store.CmpGE, 90), v(store.CmpLE, 110)}}},
		{"dist=lt5.4|http://unitsofmeasure.org|km", store.Cond{Param: "dist", Kind: store.KindNumber, Op: store.OpRange, Bounds: []store.Bound{v(store.CmpLT, 5.4)}, UnitSystem: "http://unitsofmeasure.org", UnitCode: "km"}},
		{"dist=5||km", store.Cond{Param: "dist", Kind: store.KindNumber, Op: store.OpRange, Bounds: []store.Bound{v(store.CmpGE, 4.5), v(store.CmpLT, 5.5)}, UnitCode: "km"}},
	}
	for _, tc := range tests {
		s, _, err := reg.ParseQuery("Location", mustQuery(t, tc.q), Options{Strict: true})
		if err != nil {
			t.Errorf("%s: %v", tc.q, err)
			continue
		}
		got := s.Query.Where[0].Any[0]
		for i := range got.Bounds { // precision arithmetic
			got.Bounds[i].Value = float64(int64(got.Bounds[i].Value*1e6+0.5)) / 1e6
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s =\n%+v\nwant\n%+v", tc.q, got, tc.want)
		}
	}
}

// TestParseQueryErrors: malformed values are 400s naming the parameter and what was expected.
func TestParseQueryErrors(t *testing.T) {
	tests := []struct{ typ, q, expr, diag string }{
		{"Organization", "_lastUpdated=2024-13", "_lastUpdated", "expects an optional prefix"},
		{"Organization", "_lastUpdated=xx2024", "_lastUpdated", "YYYY-MM-DD"},
		{"Organization", "_lastUpdated=gt2024-05-01T10:00:00", "", ""}, // valid: no zone is the registry's zone
		{"Organization", "_count=-1", "_count", "non-negative integer"},
		{"Organization", "_count=ten", "_count", "non-negative integer"},
		{"Organization", "_summary=maybe", "_summary", "one of true, text, data, count, false"},
		{"Organization", "_total=all", "_total", "one of none, estimate, accurate"},
		{"Organization", "identifier=a|b|c", "identifier", "code, system|code"},
		{"Organization", "identifier=|", "identifier", "code, system|code"},
		{"Organization", "identifier:of-type=a|b", "identifier:of-type", "system|code|value"},
		{"Organization", "active:missing=yes", "active:missing", "true or false"},
		{"Organization", "partof=a b", "partof", "an id, Type/id or an absolute URL"},
		{"Organization", "partof:Location=Organization/1", "partof:Location", "not of type Location"},
		{"Location", "near=91|2", "near", "latitude|longitude|distance|unit"},
		{"Location", "near=48|2|5|parsecs", "near", "latitude|longitude|distance|unit"},
		{"Location", "_sort=near", "_sort", "near is required"},
		{"Location", "_sort=-near&name=a", "_sort", "near is required"},
		{"Location", "_sort=near&near=48|2|5,45|4|5", "_sort", "exactly one near point"},
		{"Location", "_sort=near&near=48|2|5&near=45|4|50", "_sort", "exactly one near point"},
		{"Organization", "_cursor=%%%", "", ""}, // not decodable by ParseQuery's url layer: see TestCursor
	}
	reg := Default()
	for _, tc := range tests {
		q, err := url.ParseQuery(tc.q)
		if err != nil {
			continue
		}
		_, _, err = reg.ParseQuery(tc.typ, q, Options{})
		if tc.expr == "" {
			if err != nil {
				t.Errorf("%s: unexpected error %v", tc.q, err)
			}
			continue
		}
		e, ok := fherr.As(err)
		if !ok || e.Kind != fherr.KindInvalid {
			t.Errorf("%s: error %v, want KindInvalid", tc.q, err)
			continue
		}
		is := e.Issues[0]
		if strings.Join(is.Expression, ",") != tc.expr || !strings.Contains(is.Diagnostics, tc.diag) || !strings.Contains(is.Diagnostics, tc.expr) {
			t.Errorf("%s: issue %+v, want expression %q and diagnostics with %q", tc.q, is, tc.expr, tc.diag)
		}
	}
}

// TestParseQueryLenientStrict: unknown and unsupported parameters are warnings left out of the
// self link, or 400s naming them when strict.
func TestParseQueryLenientStrict(t *testing.T) {
	reg := Default()
	for _, tc := range []struct{ q, name string }{
		{"foo=bar", "foo"},
		{"organization.name=x", "organization.name"},
		{"_include=Organization:name", "_include"},
		{"_include=Organization:partof:Location", "_include"},
		{"organization.name=x", "organization.name"},
		{"partof.nothing=x", "partof.nothing"},
		{"partof.partof.partof.partof.name=x", "partof.partof.partof.partof.name"},
		{"_has:PractitionerRole:service:role=x", "_has:PractitionerRole:service:role"},
		{"name:above=x", "name:above"},
		{"identifier:in=http://vs", "identifier:in"},
		{"_sort=near", "_sort"},
	} {
		q := mustQuery(t, tc.q+"&name=ok")
		s, issues, err := reg.ParseQuery("Organization", q, Options{})
		if err != nil {
			t.Errorf("%s lenient: %v", tc.q, err)
			continue
		}
		if len(issues) != 1 || issues[0].Severity != "warning" || issues[0].Code != "not-supported" || issues[0].Expression[0] != tc.name {
			t.Errorf("%s lenient: issues %+v", tc.q, issues)
		}
		if s.Canonical != "_count=200&name=ok" {
			t.Errorf("%s lenient: canonical %q", tc.q, s.Canonical)
		}
		_, _, err = reg.ParseQuery("Organization", q, Options{Strict: true})
		e, ok := fherr.As(err)
		if !ok || e.Kind != fherr.KindInvalid || e.Issues[0].Expression[0] != tc.name || !strings.Contains(e.Issues[0].Diagnostics, strings.SplitN(tc.name, ":", 2)[0]) {
			t.Errorf("%s strict: %v", tc.q, err)
		}
	}
	// _format and _pretty are silently accepted.
	if _, issues, err := reg.ParseQuery("Organization", mustQuery(t, "_format=json&_pretty=true"), Options{Strict: true}); err != nil || len(issues) != 0 {
		t.Errorf("_format/_pretty: %v %v", issues, err)
	}
}

func TestParseQueryResultControls(t *testing.T) {
	reg := Default()
	tests := []struct {
		q         string
		opts      Options
		count     int
		qCount    int
		sort      []store.SortKey
		summary   string
		total     string
		qTotal    bool
		canonical string
		issues    int
	}{
		{q: "", count: 200, qCount: 200, total: TotalNone, canonical: "_count=200"},
		{q: "", opts: Options{DefaultCount: 50, MaxCount: 100}, count: 50, qCount: 50, total: TotalNone, canonical: "_count=50"},
		{q: "_count=500", opts: Options{MaxCount: 100}, count: 100, qCount: 100, total: TotalNone, canonical: "_count=100", issues: 1},
		{q: "_count=0", count: 0, qCount: 0, total: TotalNone, canonical: "_count=0"},
		{q: "_sort=-_lastUpdated", count: 200, qCount: 200, sort: []store.SortKey{{Param: "_lastUpdated", Desc: true}}, total: TotalNone, canonical: "_count=200&_sort=-_lastUpdated"},
		{q: "_sort=_lastUpdated,_id", count: 200, qCount: 200, sort: []store.SortKey{{Param: "_lastUpdated"}, {Param: "_id"}}, total: TotalNone, canonical: "_count=200&_sort=_lastUpdated%2C_id"},
		{q: "_sort=name,-partof", count: 200, qCount: 200, sort: []store.SortKey{{Param: "name"}, {Param: "partof", Desc: true}}, total: TotalNone, canonical: "_count=200&_sort=name%2C-partof"},
		{q: "_summary=count", count: 200, qCount: 0, summary: "count", total: TotalNone, qTotal: true, canonical: "_count=200&_summary=count"},
		{q: "_total=accurate", count: 200, qCount: 200, total: TotalAccurate, qTotal: true, canonical: "_count=200&_total=accurate"},
		{q: "_total=estimate&_elements=name,identifier", count: 200, qCount: 200, total: TotalEstimate, canonical: "_count=200&_elements=name%2Cidentifier&_total=estimate"},
		{q: "name=b&identifier=x&name=a&_count=10", count: 10, qCount: 10, total: TotalNone, canonical: "_count=10&identifier=x&name=a&name=b"},
	}
	for _, tc := range tests {
		s, issues, err := reg.ParseQuery("Organization", mustQuery(t, tc.q), tc.opts)
		if err != nil {
			t.Errorf("%s: %v", tc.q, err)
			continue
		}
		if s.Count != tc.count || s.Query.Count != tc.qCount || !reflect.DeepEqual(s.Sort, tc.sort) || !reflect.DeepEqual(s.Query.Sort, tc.sort) ||
			s.Summary != tc.summary || s.Total != tc.total || s.Query.Total != tc.qTotal || s.Canonical != tc.canonical || len(issues) != tc.issues {
			t.Errorf("%s: got count %d/%d sort %v summary %q total %q/%v canonical %q issues %v", tc.q, s.Count, s.Query.Count, s.Sort, s.Summary, s.Total, s.Query.Total, s.Canonical, issues)
		}
	}
}
