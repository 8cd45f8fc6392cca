package api

import (
	"testing"
)

func TestRouteTable(t *testing.T) {
	seen := map[string]bool{}
	for _, rt := range fhirRoutes() {
		key := rt.method + " " + rt.path
		if seen[key] {
			t.Errorf("route %s bound twice", key)
		}
		seen[key] = true
		if rt.interaction == "" || rt.handle == nil {
			t.Errorf("route %s lacks its interaction or handler", key)
		}
	}
	if len(seen) != 32 {
		t.Errorf("%d routes", len(seen))
	}
}
