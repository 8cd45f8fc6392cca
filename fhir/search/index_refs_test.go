package search

import "testing"

func TestReferences(t *testing.T) {
	reg := Default().WithBaseURL("https://ror.example/fhir")
	body := `{"resourceType":"HealthcareService","id":"h","providedBy":{"reference":"Organization/o1"},
	"location":[{"reference":"https://ror.example/fhir/Location/l1"},{"reference":"http://elsewhere/Location/x"},{"display":"no ref"}]}`
	got := reg.References("HealthcareService", []byte(body), []string{"organization", "location", "name", "unknown"})
	if len(got) != 2 || got[0].Type != "Organization" || got[0].ID != "o1" || got[1].Type != "Location" || got[1].ID != "l1" {
		t.Errorf("References = %+v", got)
	}
	if got := reg.References("HealthcareService", []byte("{"), []string{"organization"}); got != nil {
		t.Errorf("bad body: %+v", got)
	}
}
