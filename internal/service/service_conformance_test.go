package service

import (
	"net/url"
	"testing"

	"github.com/rorfhir/ror/fhir/fherr"
)

func TestStructureDefinitions(t *testing.T) {
	svc, _ := newTestService(t, Options{Profiles: &fakeProfiles{}})
	if b, err := svc.StructureDefinition("p-org"); err != nil || decode(t, b)["url"] != "http://p/Organization" {
		t.Fatalf("read: %s %v", b, err)
	}
	if _, err := svc.StructureDefinition("nope"); kindOf(t, err) != fherr.KindNotFound {
		t.Errorf("unknown: %v", err)
	}
	for q, want := range map[string]int{"": 2, "url=http://p/Organization|1.0": 1, "type=Extension,Organization": 2, "kind=resource&name=Ext": 0, "foo=bar": 2} {
		params, _ := url.ParseQuery(q)
		got, issues, err := svc.StructureDefinitions(params, SearchOptions{})
		if err != nil || len(got) != want || (q == "foo=bar") != (len(issues) == 1) {
			t.Errorf("%s: %d matches (want %d), issues %+v, %v", q, len(got), want, issues, err)
		}
	}
	if _, _, err := svc.StructureDefinitions(url.Values{"foo": {"bar"}}, SearchOptions{Strict: true}); kindOf(t, err) != fherr.KindInvalid {
		t.Errorf("strict: %v", err)
	}
	if p := svc.SupportedProfiles("Location"); len(p) != 1 || p[0] != "http://p/Location" {
		t.Errorf("SupportedProfiles: %v", p)
	}
	none, _ := newTestService(t, Options{})
	if got, _, err := none.StructureDefinitions(nil, SearchOptions{}); err != nil || len(got) != 0 || none.SupportedProfiles("Location") != nil {
		t.Errorf("no profiles: %v %v", got, err)
	}
}
