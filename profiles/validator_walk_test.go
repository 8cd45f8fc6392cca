package profiles

import (
	"context"
	"encoding/json"
	"testing"
)

// TestPrimitiveExtensions: extensions of a primitive ("_line") are validated and located as
// line[i].extension[j].
func TestPrimitiveExtensions(t *testing.T) {
	v := newTestValidator(t, Options{})
	var m map[string]any
	if err := json.Unmarshal(readFile(t, "testdata/valid/Location.json"), &m); err != nil {
		t.Fatal(err)
	}
	line := m["address"].(map[string]any)["_line"].([]any)[0].(map[string]any)
	line["extension"].([]any)[1].(map[string]any)["valueString"] = "NOT-A-STREET-TYPE"
	errs := errorsOf(v.ValidateResource(context.Background(), "Location", m))
	if len(errs) != 1 || errs[0].Code != "code-invalid" || errs[0].Expression[0] != "Location.address.line[0].extension[1].value.ofType(string)" {
		t.Fatalf("got %+v", errs)
	}
}

// TestIssuesAreComplete: every issue carries severity, code, words and an expression.
func TestIssuesAreComplete(t *testing.T) {
	v := newTestValidator(t, Options{StrictTerminology: true})
	b := readFile(t, "testdata/invalid/missing-sub-extension.json")
	for _, is := range v.Validate(context.Background(), "Location", b) {
		if is.Severity == "" || is.Code == "" || is.Diagnostics == "" || len(is.Expression) != 1 {
			t.Errorf("incomplete issue %+v", is)
		}
	}
}

// TestSliceByID: HealthcareService.notAvailable is sliced by id; the closingReopeningDate slice
// fixes its description by pattern.
func TestSliceByID(t *testing.T) {
	v := newTestValidator(t, Options{})
	var m map[string]any
	decodeInto(t, readFile(t, "testdata/valid/HealthcareService.json"), &m)
	m["notAvailable"] = []any{map[string]any{"id": "closingReopeningDate", "description": "Période de fermeture et de réouverture prévisionnelle",
		"during": map[string]any{"start": "2025-07-01"}}}
	if errs := errorsOf(v.ValidateResource(context.Background(), "HealthcareService", m)); len(errs) != 0 {
		t.Fatalf("valid slice: %+v", errs)
	}
	m["notAvailable"].([]any)[0].(map[string]any)["description"] = "fermé"
	errs := errorsOf(v.ValidateResource(context.Background(), "HealthcareService", m))
	if len(errs) != 1 || errs[0].Code != "value" || errs[0].Expression[0] != "HealthcareService.notAvailable[0].description" {
		t.Fatalf("got %+v", errs)
	}
}

// TestOrganizationIdentifierSlices: identifier slices are recognised by the pattern on type, and
// the system pattern then applies.
func TestOrganizationIdentifierSlices(t *testing.T) {
	v := newTestValidator(t, Options{})
	var m map[string]any
	decodeInto(t, readFile(t, "testdata/valid/Organization.json"), &m)
	ids := m["identifier"].([]any)
	ids[0].(map[string]any)["system"] = "https://finess.esante.gouv.fr"
	errs := errorsOf(v.ValidateResource(context.Background(), "Organization", m))
	if len(errs) != 1 || errs[0].Code != "value" || errs[0].Expression[0] != "Organization.identifier[0].system" {
		t.Fatalf("got %+v", errs)
	}
	ids = append(ids, map[string]any{"type": ids[0].(map[string]any)["type"], "system": "urn:oid:1.2.250.1.71.4.2.2", "value": "2"})
	ids[0].(map[string]any)["system"] = "urn:oid:1.2.250.1.71.4.2.2"
	m["identifier"] = ids
	errs = errorsOf(v.ValidateResource(context.Background(), "Organization", m))
	if len(errs) != 1 || errs[0].Code != "structure" || errs[0].Expression[0] != "Organization.identifier" {
		t.Fatalf("two idNatSt: %+v", errs)
	}
}
