package api

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/rorfhir/ror/fhir/search"
	"github.com/rorfhir/ror/internal/service"
)

func TestCapabilityStatementIsBuiltFromTheService(t *testing.T) {
	svc := service.New(nil, search.Default(), service.Options{}) // types and parameters only: no store needed
	b := buildCapabilityStatement(svc, "1.2.3", time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC))
	var cs capabilityStatement
	if err := json.Unmarshal(b, &cs); err != nil {
		t.Fatal(err)
	}
	if cs.Software.Version != "1.2.3" || cs.Date != "2026-01-02T00:00:00Z" || cs.FHIRVersion != "4.0.1" {
		t.Fatalf("head: %+v", cs)
	}
	if got, want := len(cs.Rest[0].Resource), len(svc.Types())+len(conformanceResources()); got != want {
		t.Fatalf("%d resources, want %d", got, want)
	}
	for _, r := range cs.Rest[0].Resource[:len(svc.Types())] {
		if len(r.SearchParam) != len(svc.SearchParams(r.Type)) || len(r.SearchParam) == 0 {
			t.Errorf("%s: %d search parameters", r.Type, len(r.SearchParam))
		}
	}
}
