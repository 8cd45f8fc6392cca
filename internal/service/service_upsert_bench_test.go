package service

import (
	"context"
	"fmt"
	"testing"

	"github.com/rorfhir/ror/fhir/search"
)

// finessLikeOrg is an Organization shaped as the FINESS import writes them (compact, no meta
// versionId/lastUpdated).
func finessLikeOrg(i int) Input {
	id := fmt.Sprintf("finess-eg-%09d", i)
	body := fmt.Sprintf(`{"resourceType":"Organization","id":%q,"meta":{"profile":["https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/ror-organization"],"tag":[{"system":"https://mos.esante.gouv.fr/NOS/TRE_R30-RegionOM/FHIR/TRE-R30-RegionOM","code":"84","display":"Auvergne-Rhône-Alpes"}]},"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/organization-period","valuePeriod":{"start":"1979-02-13"}},{"url":"https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/ror-meta-creation-date","valueDateTime":"2021-01-08"}],"identifier":[{"type":{"coding":[{"system":"https://mos.esante.gouv.fr/NOS/TRE_G07-TypeIdentifiantStructure/FHIR/TRE-G07-TypeIdentifiantStructure","code":"1"}]},"system":"https://finess.esante.gouv.fr","value":"%09d"},{"type":{"coding":[{"system":"https://mos.esante.gouv.fr/NOS/TRE_G07-TypeIdentifiantStructure/FHIR/TRE-G07-TypeIdentifiantStructure","code":"40"}]},"system":"urn:oid:1.2.250.1.71.4.2.2","value":"1%09d"}],"active":true,"type":[{"coding":[{"system":"https://mos.esante.gouv.fr/NOS/TRE_R66-CategorieEtablissement/FHIR/TRE-R66-CategorieEtablissement","code":"355","display":"Centre Hospitalier (C.H.)"}]}],"name":"CH DE FLEYRIAT %d","telecom":[{"id":"finess-phone","system":"phone","value":"0474454647"}],"address":[{"line":["900 RTE DE PARIS"],"city":"VIRIAT","postalCode":"01440","country":"FRA"}],"partOf":{"reference":"Organization/finess-ej-010780054"}}`, id, i, i, i)
	return Input{Type: "Organization", ID: id, Body: []byte(body)}
}

// BenchmarkUpsertUnchanged is the re-import of an unchanged FINESS file: every input has the
// content of its current version.
func BenchmarkUpsertUnchanged(b *testing.B) {
	ctx := context.Background()
	svc := New(newMemStore(), search.Default(), Options{})
	in := make([]Input, 500)
	for i := range in {
		in[i] = finessLikeOrg(i)
	}
	if _, err := svc.Upsert(ctx, in); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		res, err := svc.Upsert(ctx, in)
		if err != nil || res[0].Outcome != Unchanged {
			b.Fatalf("%v %+v", err, res[0])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(in)), "ns/resource")
}

// TestUpsertUnchangedFastPath: an unchanged input is Unchanged without a new version, while an
// input whose body names another id, or carries meta.lastUpdated, still goes through the checks.
func TestUpsertUnchangedFastPath(t *testing.T) {
	svc, st := newTestService(t, Options{})
	ctx := context.Background()
	in := finessLikeOrg(1)
	if _, err := svc.Upsert(ctx, []Input{in}); err != nil {
		t.Fatal(err)
	}
	puts := st.puts
	res, err := svc.Upsert(ctx, []Input{in})
	if err != nil || res[0].Outcome != Unchanged || res[0].Version.VersionID != 1 || st.puts != puts {
		t.Fatalf("unchanged: %+v %v", res[0], err)
	}
	other := Input{Type: in.Type, ID: "finess-eg-other", Body: in.Body}
	if res, _ := svc.Upsert(ctx, []Input{other}); res[0].Outcome != Failed {
		t.Fatalf("a body naming another id must fail: %+v", res[0])
	}
	wrongType := Input{Type: "Location", ID: in.ID, Body: in.Body}
	if res, _ := svc.Upsert(ctx, []Input{wrongType}); res[0].Outcome != Failed {
		t.Fatalf("a body of another type must fail: %+v", res[0])
	}
}
