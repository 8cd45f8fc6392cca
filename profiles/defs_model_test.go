package profiles

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadDefinitions(t *testing.T) {
	d, err := LoadDefinitions()
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Profiles) != 5 || len(d.Extensions) != 47 {
		t.Fatalf("%d profiles, %d extensions", len(d.Profiles), len(d.Extensions))
	}
	for _, typ := range []string{"Organization", "Location", "HealthcareService", "Practitioner", "PractitionerRole"} {
		p, ok := d.ProfileFor(typ)
		if !ok || !strings.HasPrefix(p.URL(), Canonical+"/StructureDefinition/ror-") {
			t.Errorf("%s: %v", typ, p)
		}
	}
	if _, ok := d.ProfileFor("Task"); ok {
		t.Error("Task has no ROR profile here")
	}
	if e, ok := d.Extension(Canonical + "/StructureDefinition/ror-location-supported-capacity"); !ok || !e.Complex() || len(e.Subs) != 12 {
		t.Errorf("supported-capacity: %+v", e)
	}
	if e, ok := d.Extension("https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-ext-lieu-dit"); !ok || e.Complex() {
		t.Errorf("lieu-dit: %+v", e)
	}
}

func TestParseDefinitionsErrors(t *testing.T) {
	ext := `[{"id":"a","url":"http://a","context":["element:Location"],"types":["string"]}]`
	cases := map[string]fstest.MapFS{
		"no extensions file": {"d/profile-x.json": {Data: []byte(`{"id":"x","type":"Location","elements":[]}`)}},
		"bad profile json":   {"d/profile-x.json": {Data: []byte(`{`)}, "d/extensions.json": {Data: []byte(ext)}},
		"profile without type": {"d/profile-x.json": {Data: []byte(`{"id":"x","elements":[]}`)},
			"d/extensions.json": {Data: []byte(ext)}},
		"duplicate extension": {"d/extensions.json": {Data: []byte(`[{"id":"a","url":"http://a"},{"id":"b","url":"http://a"}]`)}},
		"unknown extension in a profile": {"d/profile-x.json": {Data: []byte(`{"id":"x","type":"Location","elements":[{"id":"extension:z","ext":"https://z"}]}`)},
			"d/extensions.json": {Data: []byte(ext)}},
	}
	for name, fsys := range cases {
		if _, err := ParseDefinitions(fsys, "d"); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
	ok := fstest.MapFS{"d/profile-x.json": {Data: []byte(`{"id":"x","type":"Location","elements":[{"id":"extension:a","ext":"http://a","min":1}]}`)},
		"d/extensions.json": {Data: []byte(ext)}}
	d, err := ParseDefinitions(ok, "d")
	if err != nil || len(d.Profiles) != 1 {
		t.Fatalf("%v %+v", err, d)
	}
	if _, err := NewValidator(d, nil, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := NewValidator(nil, nil, Options{}); err == nil {
		t.Error("nil definitions: want an error")
	}
}
