package api

import (
	"encoding/json"
	"testing"

	"github.com/rorfhir/ror/fhir/fherr"
)

func TestOutcomeJSON(t *testing.T) {
	var oo operationOutcome
	if err := json.Unmarshal(outcomeJSON(nil, "done"), &oo); err != nil {
		t.Fatal(err)
	}
	if oo.ResourceType != "OperationOutcome" || len(oo.Issue) != 1 || oo.Issue[0].Severity != "information" || oo.Issue[0].Diagnostics != "done" {
		t.Fatalf("empty: %+v", oo)
	}
	b := outcomeJSON([]fherr.Issue{{Diagnostics: "x", Expression: []string{"Organization.id"}}}, "")
	if err := json.Unmarshal(b, &oo); err != nil {
		t.Fatal(err)
	}
	if is := oo.Issue[0]; is.Severity != "error" || is.Code != "processing" || is.Expression[0] != "Organization.id" {
		t.Fatalf("defaults: %+v", is)
	}
}
