package integration

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/rorfhir/ror/fhir/resource"
	"github.com/rorfhir/ror/internal/service"
)

// TestCapabilityStatementFromWhatIsServed: the CapabilityStatement lists every served type with
// its interactions and the registry's search parameters (with their definitions), and the
// read-only generated SearchParameter and StructureDefinition resources.
func TestCapabilityStatementFromWhatIsServed(t *testing.T) {
	e := newEnv(t, service.Options{})
	res := e.do("GET", "/fhir/metadata", "")
	var cs struct {
		ResourceType, FHIRVersion string
		Format                    []string
		Rest                      []struct {
			Mode     string
			Resource []struct {
				Type                                         string
				Interaction                                  []struct{ Code, Documentation string }
				SearchParam                                  []struct{ Name, Type, Definition string }
				UpdateCreate, ConditionalCreate, ReadHistory bool
				Versioning                                   string
			}
		}
	}
	if err := json.Unmarshal(res.body, &cs); err != nil {
		t.Fatal(err)
	}
	if cs.ResourceType != "CapabilityStatement" || cs.FHIRVersion != "4.0.1" || len(cs.Rest) != 1 {
		t.Fatalf("head: %s", res.body)
	}
	var types []string
	for _, r := range cs.Rest[0].Resource {
		var codes []string
		for _, in := range r.Interaction {
			codes = append(codes, in.Code)
			if in.Code == "search-type" && r.Type == "HealthcareService" && !strings.Contains(in.Documentation, "_lastUpdated order") {
				t.Errorf("%s search-type does not document the order of a delta: %q", r.Type, in.Documentation)
			}
		}
		sort.Strings(codes)
		if r.Type == "SearchParameter" || r.Type == "StructureDefinition" {
			// generated from the server's definitions, read-only
			if got := strings.Join(codes, ","); got != "read,search-type" || r.UpdateCreate || len(r.SearchParam) == 0 {
				t.Errorf("%s (read-only): interactions %s, %+v", r.Type, got, r)
			}
			continue
		}
		types = append(types, r.Type)
		if got := strings.Join(codes, ","); got != "create,delete,history-instance,history-type,patch,read,search-type,update,vread" {
			t.Errorf("%s interactions: %s", r.Type, got)
		}
		if !r.UpdateCreate || !r.ConditionalCreate || !r.ReadHistory || r.Versioning != "versioned-update" {
			t.Errorf("%s flags: %+v", r.Type, r)
		}
		params := map[string]string{}
		for _, p := range r.SearchParam {
			params[p.Name] = p.Definition
			if p.Type == "" {
				t.Errorf("%s.%s has no type", r.Type, p.Name)
			}
		}
		for _, want := range []string{"_id", "_lastUpdated", "_tag", "_profile"} {
			if !strings.HasPrefix(params[want], "http") {
				t.Errorf("%s: search parameter %s missing or without definition (%q)", r.Type, want, params[want])
			}
		}
		if _, ok := params["identifier"]; !ok {
			t.Errorf("%s: no identifier parameter", r.Type)
		}
	}
	want := resource.SupportedTypes()
	if strings.Join(types, ",") != strings.Join(want, ",") {
		t.Errorf("types %v, want %v", types, want)
	}
}
