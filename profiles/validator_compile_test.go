package profiles

import "testing"

func compiled(t *testing.T) (map[string]*compiledProfile, map[string]*compiledExt) {
	t.Helper()
	d, err := LoadDefinitions()
	if err != nil {
		t.Fatal(err)
	}
	p, e, err := newCompiler(d).compileAll()
	if err != nil {
		t.Fatal(err)
	}
	return p, e
}

func TestCompiledTree(t *testing.T) {
	profiles, exts := compiled(t)
	hs := profiles[Canonical+"/StructureDefinition/ror-healthcareservice"].root
	ch := hs.find("characteristic")
	if ch == nil || len(ch.slices) != 12 || !ch.required {
		t.Fatalf("characteristic: %+v", ch)
	}
	for _, s := range ch.slices {
		if len(s.matchers) < 2 { // coding.system (Match) and the ror-act-type extension discriminator
			t.Errorf("slice %s: %d matchers", s.name, len(s.matchers))
		}
	}
	ext := hs.find("extension")
	for _, s := range ext.slices {
		if s.node.ext == nil {
			t.Errorf("extension slice %s not linked to its definition", s.name)
		}
	}
	pr := profiles[Canonical+"/StructureDefinition/ror-practitionerrole"].root.find("healthcareService")
	if len(pr.targets) != 1 || pr.targets[0] != "HealthcareService" {
		t.Errorf("targets %v", pr.targets)
	}
	loc := profiles[Canonical+"/StructureDefinition/ror-location"].root.find("identifier")
	if len(loc.slices) != 2 || len(loc.slices[0].matchers) != 1 {
		t.Errorf("Location.identifier slices: %+v", loc.slices)
	}
	price := exts[Canonical+"/StructureDefinition/ror-organization-price"].root.find("extension")
	if price.min != 3 || len(price.slices) != 16 || price.slices[0].node.extURL != "priceType" {
		t.Errorf("price: min %d, %d slices", price.min, len(price.slices))
	}
}
