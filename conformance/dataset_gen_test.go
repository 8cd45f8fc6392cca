package conformance

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func testTerminology(t *testing.T) *Terminology {
	t.Helper()
	shared, err := SharedDir()
	if err != nil {
		t.Fatal(err)
	}
	term, err := LoadTerminology(filepath.Join(shared, "nos", "fhir", "ValueSet"))
	if err != nil {
		t.Fatal(err)
	}
	return term
}

func TestLoadTerminologyReadsTheJDVCodes(t *testing.T) {
	term := testTerminology(t)
	c, ok := term.PickCode("J222", "1")
	if !ok || c.System != nosBase+"TRE_R283-NiveauConfidentialite/FHIR/TRE-R283-NiveauConfidentialite" || c.Display != "Accès libre" {
		t.Errorf("J222 code 1 = %+v, %v", c, ok)
	}
	if n := len(term.Codes("J17")); n < 100 {
		t.Errorf("J17 has %d codes, want the full list of operational activities", n)
	}
	if term.Codes("J124") != nil {
		t.Errorf("J124 (communes) lists no code in the NOS files, got %d", len(term.Codes("J124")))
	}
}

// TestGeneratedDatasetShape checks what the dataset promises: every type, unique ids, references
// that resolve to an earlier resource, EG partOf an EJ, codes taken from the NOS lists.
func TestGeneratedDatasetShape(t *testing.T) {
	term := testTerminology(t)
	rs := GenerateDataset(term, DefaultDatasetSize)
	s := DefaultDatasetSize
	egs := s.EJ * s.EGPerEJ
	want := map[string]int{
		"Organization":      s.EJ + egs,
		"Location":          egs * s.LocationsPerEG,
		"HealthcareService": egs * s.ServicesPerEG,
		"Practitioner":      s.Practitioners,
		"PractitionerRole":  s.Practitioners,
	}
	got := map[string]int{}
	seen := map[string]bool{}
	for _, r := range rs {
		typ, id := r["resourceType"].(string), r["id"].(string)
		key := typ + "/" + id
		if seen[key] {
			t.Errorf("%s generated twice", key)
		}
		if !strings.HasPrefix(id, ConformanceIDPrefix) {
			t.Errorf("%s: id without the %q prefix", key, ConformanceIDPrefix)
		}
		for _, ref := range references(r) {
			if !seen[ref] {
				t.Errorf("%s refers to %s, which comes later or not at all", key, ref)
			}
		}
		seen[key] = true
		got[typ]++
	}
	for typ, n := range want {
		if got[typ] != n {
			t.Errorf("%d %s, want %d", got[typ], typ, n)
		}
	}
	eg := rs[1]
	if eg["partOf"].(Resource)["reference"] != "Organization/conf-ej-1" {
		t.Errorf("the first EG is not part of the first EJ: %v", eg["partOf"])
	}
	loc := rs[2]
	pos := loc["position"].(Resource)
	if loc["resourceType"] != "Location" || pos["latitude"] == nil || pos["longitude"] == nil {
		t.Errorf("Location without position: %v", loc)
	}
	caps := 0
	for _, e := range loc["extension"].([]any) {
		if e.(Resource)["url"] == RORSD+"ror-location-supported-capacity" {
			caps++
		}
	}
	if caps != 1 {
		t.Errorf("Location has %d supported-capacity extensions, want 1", caps)
	}
	hs := rs[2+s.LocationsPerEG]
	spec := hs["specialty"].([]any)[0].(Resource)["coding"].([]any)[0].(Coding)
	if _, ok := term.PickCode("J17", spec.Code); !ok || spec.System != term.Codes("J17")[0].System {
		t.Errorf("HealthcareService specialty %+v is not a J17 code", spec)
	}
}

// references lists the "Type/id" references found anywhere in r.
func references(v any) []string {
	var out []string
	switch x := v.(type) {
	case Resource:
		for k, val := range x {
			if k == "reference" {
				out = append(out, fmt.Sprint(val))
				continue
			}
			out = append(out, references(val)...)
		}
	case []any:
		for _, e := range x {
			out = append(out, references(e)...)
		}
	}
	return out
}

// TestGeneratedDatasetPassesTheValidators runs the public validators on the dataset as a server
// would store it (id and meta set): the dataset must be valid R4 before it can test a server.
func TestGeneratedDatasetPassesTheValidators(t *testing.T) {
	term := testTerminology(t)
	dir := t.TempDir()
	for _, r := range GenerateDataset(term, DefaultDatasetSize) {
		writeJSON(t, filepath.Join(dir, fmt.Sprintf("%s-%s.json", r["resourceType"], r["id"])), stamp(r, 1))
	}
	for i, r := range ClientFixtures(term, 3) {
		writeJSON(t, filepath.Join(dir, fmt.Sprintf("fixture-%d.json", i)), r)
	}
	rep := validate(t, dir)
	requireNoFindings(t, rep)
	if rep.Files == 0 {
		t.Fatal("nothing validated")
	}
}
