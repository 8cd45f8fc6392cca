package search

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rorfhir/ror/store"
)

// pick returns the entries of one parameter, for comparisons.
func tokensOf(idx store.Index, param string) []store.TokenValue {
	var out []store.TokenValue
	for _, v := range idx.Tokens {
		if v.Param == param {
			out = append(out, v)
		}
	}
	return out
}

func sortOf(idx store.Index, param string) (string, bool) {
	for _, s := range idx.Sorts {
		if s.Param == param {
			return s.Key, true
		}
	}
	return "", false
}

func TestExtractTypicalOrganization(t *testing.T) {
	body, err := os.ReadFile("../resource/testdata/organization-typical.json")
	if err != nil {
		t.Fatal(err)
	}
	idx, err := Default().Extract("Organization", body)
	if err != nil {
		t.Fatal(err)
	}
	const finess = "https://mos.esante.gouv.fr/NOS/TRE_G07-TypeIdentifiantStructure/FHIR/TRE-G07-TypeIdentifiantStructure"
	wantTokens := map[string][]store.TokenValue{
		"_id":    {{Param: "_id", Code: "ror-org-750712184"}},
		"_tag":   {{Param: "_tag", System: "https://interop.esante.gouv.fr/ig/fhir/ror/CodeSystem/region", Code: "11", Text: "ile de france"}},
		"active": {{Param: "active", Code: "true"}},
		"identifier": {
			{Param: "identifier", System: "urn:oid:1.2.250.1.71.4.2.2", Code: "750712184"},
			{Param: "identifier", System: "https://sirene.fr", Code: "26750045200011"},
		},
		"identifier:of-type": {
			{Param: "identifier:of-type", System: finess, Code: "1|750712184"},
			{Param: "identifier:of-type", System: finess, Code: "3|26750045200011"},
		},
		"type": {
			{Param: "type", System: "https://mos.esante.gouv.fr/NOS/TRE_R66-CategorieEtablissement/FHIR/TRE-R66-CategorieEtablissement", Code: "355", Text: "centre hospitalier (c.h.)"},
			{Param: "type", System: "https://mos.esante.gouv.fr/NOS/TRE_R72-FinessStatutJuridique/FHIR/TRE-R72-FinessStatutJuridique", Code: "13", Text: "etablissement public communal d hospitalisation"},
		},
		"address-use": {{Param: "address-use", Code: "work"}},
	}
	for param, want := range wantTokens {
		if got := tokensOf(idx, param); !reflect.DeepEqual(got, want) {
			t.Errorf("tokens %s = %+v\nwant %+v", param, got, want)
		}
	}
	wantStrings := map[string][]string{ // param → Norm|Exact
		"name":               {"hopital benedicte de saint etienne|Hôpital Bénédicte de Saint-Étienne", "ch saint etienne|CH Saint-Étienne"},
		"address-city":       {"saint etienne|Saint-Étienne"},
		"address-postalcode": {"42100|42100"},
		"address":            {"12 rue de la sante|12 rue de la Santé", "batiment b|Bâtiment B", "saint etienne|Saint-Étienne", "42100|42100", "fra|FRA"},
	}
	for param, want := range wantStrings {
		var got []string
		for _, s := range idx.Strings {
			if s.Param == param {
				got = append(got, s.Norm+"|"+s.Exact)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("strings %s = %q, want %q", param, got, want)
		}
	}
	wantRefs := []store.ReferenceValue{
		{Param: "endpoint", Type: "Endpoint", ID: "ep-1"},
		{Param: "partof", Type: "Organization", ID: "ror-ej-420013492"},
	}
	if !reflect.DeepEqual(idx.References, wantRefs) {
		t.Errorf("references = %+v", idx.References)
	}
	lu := ms("2024-05-01T10:00:00Z")
	if !reflect.DeepEqual(idx.Dates, []store.DateValue{{Param: "_lastUpdated", Lo: lu, Hi: lu}}) {
		t.Errorf("dates = %+v", idx.Dates)
	}
	if !reflect.DeepEqual(idx.URIs, []store.URIValue{{Param: "_profile", URI: "https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/ror-organization"}}) {
		t.Errorf("uris = %+v", idx.URIs)
	}
	for _, param := range []string{"_id", "_profile", "phonetic"} {
		if _, ok := sortOf(idx, param); ok {
			t.Errorf("sort key kept for %s (not sortable: the store sorts by id natively, or the values are never sorted on)", param)
		}
	}
	for param, want := range map[string]string{"_lastUpdated": int64Key(lu), "name": "ch saint etienne", "partof": "Organization/ror-ej-420013492"} {
		if got, ok := sortOf(idx, param); !ok || got != want {
			t.Errorf("sort key %s = %q, want %q", param, got, want)
		}
	}
}

// TestExtractShapes covers the value shapes the R4 tables do not reach on the typical resource:
// periods, quantities, ContactPoint filters, reference identifiers, absolute and contained
// references, positions, choice elements, a FHIRPath fallback.
func TestExtractShapes(t *testing.T) {
	params := append(R4BaseParams(),
		Param{Code: "qty", Type: TypeQuantity, Base: []string{"Location"}, Expression: "Location.extension.where(url='http://x/qty').value"},
		Param{Code: "num", Type: TypeNumber, Base: []string{"Location"}, Expression: "Location.extension.where(url='http://x/num').valueInteger"},
		Param{Code: "fp", Type: TypeString, Base: []string{"Location"}, Expression: "Location.alias.first()"},
		Param{Code: "period-ext", Type: TypeDate, Base: []string{"Location"}, Expression: "Location.extension.where(url='http://x/p').value.ofType(Period)"},
	)
	reg, err := NewRegistry(params...)
	if err != nil {
		t.Fatal(err)
	}
	reg = reg.WithBaseURL("https://ror.example/fhir/")
	loc := `{"resourceType":"Location","id":"l1","meta":{"lastUpdated":"2024-01-02T03:04:05.678Z"},
		"alias":["Première","Seconde"],
		"extension":[{"url":"http://x/qty","valueQuantity":{"value":4.50,"system":"http://unitsofmeasure.org","code":"km"}},
			{"url":"http://x/num","valueInteger":-3},{"url":"http://x/p","valuePeriod":{"start":"2024-01"}}],
		"position":{"latitude":48.8566,"longitude":2.3522},
		"managingOrganization":{"reference":"https://ror.example/fhir/Organization/o1/_history/2","identifier":{"system":"urn:oid:1.2.250.1.71.4.2.2","value":"750712184"}},
		"partOf":{"reference":"https://elsewhere.example/fhir/Location/9"},
		"endpoint":[{"reference":"#contained"}]}`
	idx, err := reg.Extract("Location", []byte(loc))
	if err != nil {
		t.Fatal(err)
	}
	if want := []store.NumberValue{{Param: "num", Value: -3}, {Param: "qty", Value: 4.5, System: "http://unitsofmeasure.org", Code: "km"}}; !reflect.DeepEqual(idx.Numbers, want) {
		t.Errorf("numbers = %+v", idx.Numbers)
	}
	if want := []store.CoordValue{{Param: "near", Lat: 48.8566, Lon: 2.3522}}; !reflect.DeepEqual(idx.Coords, want) {
		t.Errorf("coords = %+v", idx.Coords)
	}
	wantRefs := []store.ReferenceValue{
		{Param: "organization", Type: "Organization", ID: "o1"},
		{Param: "partof", URL: "https://elsewhere.example/fhir/Location/9"},
	}
	if !reflect.DeepEqual(idx.References, wantRefs) {
		t.Errorf("references = %+v", idx.References)
	}
	if got := tokensOf(idx, "organization:identifier"); !reflect.DeepEqual(got, []store.TokenValue{{Param: "organization:identifier", System: "urn:oid:1.2.250.1.71.4.2.2", Code: "750712184"}}) {
		t.Errorf("organization:identifier = %+v", got)
	}
	var fp []string
	for _, s := range idx.Strings {
		if s.Param == "fp" {
			fp = append(fp, s.Norm)
		}
	}
	if !reflect.DeepEqual(fp, []string{"premiere"}) {
		t.Errorf("FHIRPath fallback values = %q", fp)
	}
	wantDates := []store.DateValue{
		{Param: "_lastUpdated", Lo: ms("2024-01-02T03:04:05.678Z"), Hi: ms("2024-01-02T03:04:05.678Z")},
		{Param: "period-ext", Lo: ms("2024-01-01T00:00:00Z"), Hi: math.MaxInt64},
	}
	if !reflect.DeepEqual(idx.Dates, wantDates) {
		t.Errorf("dates = %+v", idx.Dates)
	}
	if k, _ := sortOf(idx, "num"); k != float64Key(-3) {
		t.Errorf("num sort key %q", k)
	}

	role := `{"resourceType":"PractitionerRole","id":"r1","period":{"end":"2030-12-31"},
		"telecom":[{"system":"phone","value":"+33 1 00"},{"system":"email","value":"a@b.fr"}],
		"practitioner":{"reference":"Practitioner/p1"},"organization":{"identifier":{"system":"urn:x","value":"42"}}}`
	idx, err = reg.Extract("PractitionerRole", []byte(role))
	if err != nil {
		t.Fatal(err)
	}
	for param, want := range map[string][]store.TokenValue{
		"email":                   {{Param: "email", Code: "a@b.fr"}},
		"phone":                   {{Param: "phone", Code: "+33 1 00"}},
		"telecom":                 {{Param: "telecom", Code: "+33 1 00"}, {Param: "telecom", Code: "a@b.fr"}},
		"organization:identifier": {{Param: "organization:identifier", System: "urn:x", Code: "42"}},
	} {
		if got := tokensOf(idx, param); !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %+v, want %+v", param, got, want)
		}
	}
	if want := []store.DateValue{{Param: "date", Lo: math.MinInt64, Hi: ms("2030-12-31T23:59:59.999Z")}}; !reflect.DeepEqual(idx.Dates, want) {
		t.Errorf("dates = %+v", idx.Dates)
	}
	if !reflect.DeepEqual(idx.References, []store.ReferenceValue{{Param: "practitioner", Type: "Practitioner", ID: "p1"}}) {
		t.Errorf("references = %+v", idx.References)
	}
}

func TestExtractTaskPatientFilter(t *testing.T) {
	idx, err := Default().Extract("Task", []byte(`{"resourceType":"Task","id":"t","status":"ready","intent":"order","for":{"reference":"Patient/7"},"executionPeriod":{"start":"2024-05-01T10:00:00+02:00","end":"2024-05-01T12:00:00+02:00"}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []store.ReferenceValue{{Param: "patient", Type: "Patient", ID: "7"}, {Param: "subject", Type: "Patient", ID: "7"}}
	if !reflect.DeepEqual(idx.References, want) {
		t.Errorf("references = %+v", idx.References)
	}
	if want := []store.DateValue{{Param: "period", Lo: ms("2024-05-01T08:00:00Z"), Hi: ms("2024-05-01T10:00:00.999Z")}}; !reflect.DeepEqual(idx.Dates, want) {
		t.Errorf("dates = %+v", idx.Dates)
	}
	idx, _ = Default().Extract("Task", []byte(`{"resourceType":"Task","id":"t","for":{"reference":"Group/7"}}`))
	if len(idx.References) != 1 || idx.References[0].Param != "subject" {
		t.Errorf("a Group subject must not index patient: %+v", idx.References)
	}
}

func TestExtractErrors(t *testing.T) {
	for _, body := range []string{`{`, `[1]`, `"x"`} {
		if _, err := Default().Extract("Organization", []byte(body)); err == nil {
			t.Errorf("Extract(%s) accepted", body)
		}
	}
}

// TestExtractExamples: every IG example of a served type extracts, with _id and, when it has
// meta.lastUpdated, _lastUpdated; the HealthcareService example gives the expected values.
func TestExtractExamples(t *testing.T) {
	var files []string
	for _, dir := range []string{"../../../shared/ror-ig/examples", "../../../shared/examples/sas_ig_package_examples"} {
		m, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skip("no examples in ../shared")
	}
	reg := Default()
	n := 0
	for _, f := range files {
		typ, _, _ := strings.Cut(filepath.Base(f), "-")
		if len(reg.Params(typ)) == 0 {
			continue
		}
		body, _ := os.ReadFile(f)
		idx, err := reg.Extract(typ, body)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		n++
		if len(tokensOf(idx, "_id")) != 1 {
			t.Errorf("%s: no _id", f)
		}
		if strings.Contains(string(body), `"lastUpdated"`) && len(idx.Dates) == 0 {
			t.Errorf("%s: no _lastUpdated", f)
		}
		if filepath.Base(f) == "HealthcareService-1234564.json" {
			checkHealthcareService(t, idx)
		}
	}
	if n < 20 {
		t.Errorf("only %d examples extracted", n)
	}
}

func checkHealthcareService(t *testing.T, idx store.Index) {
	t.Helper()
	lu := ms("2025-04-08T13:05:27Z")
	if !reflect.DeepEqual(idx.Dates, []store.DateValue{{Param: "_lastUpdated", Lo: lu, Hi: lu}}) {
		t.Errorf("dates = %+v", idx.Dates)
	}
	want := []store.ReferenceValue{{Param: "location", Type: "Location", ID: "888888"}, {Param: "organization", Type: "Organization", ID: "999999"}}
	if !reflect.DeepEqual(idx.References, want) {
		t.Errorf("references = %+v", idx.References)
	}
	if got := tokensOf(idx, "identifier"); !reflect.DeepEqual(got, []store.TokenValue{{Param: "identifier", Code: "06/0099999", Text: ""}}) {
		t.Errorf("identifier = %+v", got)
	}
	if got := tokensOf(idx, "specialty"); !reflect.DeepEqual(got, []store.TokenValue{{Param: "specialty",
		System: "https://mos.esante.gouv.fr/NOS/TRE_R211-ActiviteOperationnelle/FHIR/TRE-R211-ActiviteOperationnelle", Code: "022", Text: "chirurgie gynecologique"}}) {
		t.Errorf("specialty = %+v", got)
	}
	if got := tokensOf(idx, "_tag"); len(got) != 1 || got[0].Code != "06" {
		t.Errorf("_tag = %+v", got)
	}
	found := false
	for _, s := range idx.Strings {
		if s.Param == "name" && s.Norm == "5812 chirurgie gynecologique hospitalisation complete" {
			found = true
		}
	}
	if !found {
		t.Errorf("name not folded as expected: %+v", idx.Strings)
	}
}

func BenchmarkExtract(b *testing.B) {
	body, err := os.ReadFile("../resource/testdata/organization-typical.json")
	if err != nil {
		b.Fatal(err)
	}
	reg := Default()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := reg.Extract("Organization", body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExtractFHIRPath measures the same extraction with every expression evaluated by the
// FHIRPath engine (the fallback), to justify the path walker.
func BenchmarkExtractFHIRPath(b *testing.B) {
	body, err := os.ReadFile("../resource/testdata/organization-typical.json")
	if err != nil {
		b.Fatal(err)
	}
	reg := Default()
	for _, c := range reg.byType["Organization"] {
		fc, err := compileFHIRPath(c.Expression)
		if err != nil {
			b.Fatal(err)
		}
		c.fp = fc
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := reg.Extract("Organization", body); err != nil {
			b.Fatal(err)
		}
	}
}
