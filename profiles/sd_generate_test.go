package profiles

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestStructureDefinitions(t *testing.T) {
	defs, err := LoadDefinitions()
	if err != nil {
		t.Fatal(err)
	}
	sds, err := defs.StructureDefinitions()
	if err != nil {
		t.Fatal(err)
	}
	if len(sds) != 52 {
		t.Fatalf("want 52 StructureDefinitions, got %d", len(sds))
	}
	kinds := map[string]int{}
	for _, raw := range sds {
		var sd struct {
			ResourceType, ID, URL, Version, Name, Status, Kind, Type, BaseDefinition, Derivation, FhirVersion string
			Context                                                                                           []map[string]string
			Differential                                                                                      struct {
				Element []struct{ ID, Path, SliceName string }
			}
		}
		if err := json.Unmarshal(raw, &sd); err != nil {
			t.Fatal(err)
		}
		if sd.ResourceType != "StructureDefinition" || sd.Version != IGVersion || sd.Derivation != "constraint" ||
			sd.Status == "" || sd.Name == "" || sd.FhirVersion != "4.0.1" || !strings.HasSuffix(sd.URL, "/StructureDefinition/"+sd.ID) {
			t.Errorf("%s: bad header %+v", sd.ID, sd)
		}
		if sd.ID != "as-ext-lieu-dit" && !strings.HasPrefix(sd.URL, Canonical+"/StructureDefinition/") {
			t.Errorf("%s: url %s outside the ROR canonical", sd.ID, sd.URL)
		}
		kinds[sd.Kind+"/"+sd.Type]++
		if sd.Type == "Extension" && (len(sd.Context) == 0 || sd.BaseDefinition != "http://hl7.org/fhir/StructureDefinition/Extension") {
			t.Errorf("%s: extension without context or base", sd.ID)
		}
		seen := map[string]bool{}
		for i, e := range sd.Differential.Element {
			if seen[e.ID] {
				t.Errorf("%s: duplicate element %s", sd.ID, e.ID)
			}
			seen[e.ID] = true
			if i == 0 && e.ID != sd.Type {
				t.Errorf("%s: first element %s, want %s", sd.ID, e.ID, sd.Type)
			}
			if strings.Contains(e.Path, ":") || !strings.HasPrefix(e.ID, sd.Type) {
				t.Errorf("%s: bad element id/path %s %s", sd.ID, e.ID, e.Path)
			}
		}
	}
	if kinds["resource/Organization"] != 1 || kinds["complex-type/Extension"] != 47 {
		t.Errorf("kinds: %v", kinds)
	}
	org, _ := defs.Profile(Canonical + "/StructureDefinition/ror-organization|0.7.0")
	if org == nil || org.Base != "http://interopsante.org/fhir/StructureDefinition/FrOrganization" {
		t.Errorf("ror-organization base: %+v", org)
	}
}
