package integration

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/rorfhir/ror/internal/service"
)

// TestDeltaSearchInChangeOrder: a consumer's delta (_lastUpdated=ge T, no _sort) comes in
// _lastUpdated order, oldest change first, and the self link says so; following the next links
// while resources change never repeats one, and the next delta from the same T has the changed
// ones at the end. Without a lower bound on _lastUpdated, the order stays by id.
func TestDeltaSearchInChangeOrder(t *testing.T) {
	e := newEnv(t, service.Options{Now: steppingClock()})
	put := func(id, finess string, want int) {
		t.Helper()
		if r := e.do("PUT", "/fhir/Organization/"+id, orgWith(id, finess, "11", false)); r.status != want {
			t.Fatalf("PUT %s: %d %s", id, r.status, r.body)
		}
	}
	for i, id := range []string{"c", "a", "e", "b", "d"} { // written in this order, not in id order
		put(id, fmt.Sprintf("78000000%d", i), 201)
	}
	page := func(path string) (ids []string, self, next string) {
		t.Helper()
		r := e.do("GET", path, "")
		if r.status != 200 {
			t.Fatalf("GET %s: %d %s", path, r.status, r.body)
		}
		b := r.json(t)
		entries, _ := b["entry"].([]any)
		for _, en := range entries {
			ids = append(ids, en.(map[string]any)["resource"].(map[string]any)["id"].(string))
		}
		links, _ := b["link"].([]any)
		for _, l := range links {
			m := l.(map[string]any)
			switch m["relation"] {
			case "self":
				self = m["url"].(string)
			case "next":
				next = strings.TrimPrefix(m["url"].(string), e.srv.URL)
			}
		}
		return ids, self, next
	}
	delta := "/fhir/Organization?_count=2&_lastUpdated=" + url.QueryEscape("ge2025-01-01T00:00:00Z")

	got, self, next := page(delta)
	if !slices.Equal(got, []string{"c", "a"}) {
		t.Errorf("first page %v, want [c a] (the order of the writes)", got)
	}
	if !strings.Contains(self, "_sort=_lastUpdated") {
		t.Errorf("self link %q does not say the order (_sort=_lastUpdated)", self)
	}
	put("a", "780000001", 200) // seen on the first page: moves to the end of the change order
	put("f", "780000009", 201) // new since the first page
	for next != "" {
		var ids []string
		ids, _, next = page(next)
		got = append(got, ids...)
	}
	if !slices.Equal(got, []string{"c", "a", "e", "b", "d"}) {
		t.Errorf("delta followed through its next links: %v, want [c a e b d] (each once; the changes made meanwhile wait for the next delta)", got)
	}
	again, _, next := page(strings.Replace(delta, "_count=2", "_count=10", 1))
	if !slices.Equal(again, []string{"c", "e", "b", "d", "a", "f"}) || next != "" {
		t.Errorf("next delta from the same instant: %v (next %q), want [c e b d a f]", again, next)
	}
	byID, self, _ := page("/fhir/Organization?_count=10&_lastUpdated=" + url.QueryEscape("le2100-01-01"))
	if !slices.Equal(byID, []string{"a", "b", "c", "d", "e", "f"}) || strings.Contains(self, "_sort") {
		t.Errorf("upper bound only: %v (self %q), want id order and no _sort", byID, self)
	}
}
