package api

import (
	"strings"
	"testing"
)

func TestRequestIDs(t *testing.T) {
	g := newRequestIDs()
	a, b := g.next(), g.next()
	if a == b || !strings.HasPrefix(a, g.prefix) || !validRequestID(a) {
		t.Fatalf("ids %q %q", a, b)
	}
	for id, ok := range map[string]bool{"abc-1": true, "": false, "a b": false, "é": false, strings.Repeat("x", 129): false} {
		if validRequestID(id) != ok {
			t.Errorf("validRequestID(%q) != %v", id, ok)
		}
	}
}
