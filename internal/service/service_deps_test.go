package service

import "testing"

func TestSearchParamsFromRegistry(t *testing.T) {
	svc, _ := newTestService(t, Options{})
	for _, typ := range svc.Types() {
		ps := svc.SearchParams(typ)
		if len(ps) == 0 {
			t.Fatalf("%s: no search parameters", typ)
		}
		found := false
		for _, p := range ps {
			if p.Name == "_lastUpdated" && p.Type == "date" && p.Definition != "" {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no _lastUpdated date parameter with a definition", typ)
		}
	}
	if svc.SupportsType("Patient") || !svc.SupportsType("Organization") {
		t.Error("SupportsType")
	}
}
