package search

import (
	"reflect"
	"testing"

	"github.com/rorfhir/ror/store"
)

// TestSyncOrder: a search bounded below on _lastUpdated without _sort is in _lastUpdated order
// (and its self link says so); a search sorted first by _lastUpdated gives the store the bounds
// of that key; nothing else changes order or gets bounds.
func TestSyncOrder(t *testing.T) {
	reg := Default()
	t0, t1 := ms("2024-05-01T10:00:00Z"), ms("2024-06-01T00:00:00Z")
	day0, day1 := ms("2024-05-01T00:00:00Z"), ms("2024-05-01T23:59:59.999Z")
	key := func(v int64) *string { k := int64Key(v); return &k }
	tests := []struct {
		q         string
		sort      []store.SortKey // Search.Sort
		min, max  *string         // Query.Sort[0] bounds
		canonical string
	}{
		{q: "_lastUpdated=ge2024-05-01T10:00:00Z", sort: []store.SortKey{{Param: "_lastUpdated"}}, min: key(t0),
			canonical: "_count=200&_lastUpdated=ge2024-05-01T10%3A00%3A00Z&_sort=_lastUpdated"},
		{q: "_lastUpdated=gt2024-05-01T10:00:00Z", sort: []store.SortKey{{Param: "_lastUpdated"}}, min: key(t0 + 999), // after the second
			canonical: "_count=200&_lastUpdated=gt2024-05-01T10%3A00%3A00Z&_sort=_lastUpdated"},
		{q: "_lastUpdated=sa2024-05-01T10:00:00Z", sort: []store.SortKey{{Param: "_lastUpdated"}}, min: key(t0 + 999),
			canonical: "_count=200&_lastUpdated=sa2024-05-01T10%3A00%3A00Z&_sort=_lastUpdated"},
		{q: "_lastUpdated=2024-05-01", sort: []store.SortKey{{Param: "_lastUpdated"}}, min: key(day0), max: key(day1),
			canonical: "_count=200&_lastUpdated=2024-05-01&_sort=_lastUpdated"},
		{q: "_lastUpdated=ge2024-05-01T10:00:00Z&_lastUpdated=lt2024-06-01T00:00:00Z&name=a", sort: []store.SortKey{{Param: "_lastUpdated"}},
			min: key(t0), max: key(t1),
			canonical: "_count=200&_lastUpdated=ge2024-05-01T10%3A00%3A00Z&_lastUpdated=lt2024-06-01T00%3A00%3A00Z&_sort=_lastUpdated&name=a"},
		{q: "_sort=-_lastUpdated&_lastUpdated=le2024-06-01T00:00:00Z", sort: []store.SortKey{{Param: "_lastUpdated", Desc: true}}, max: key(t1 + 999),
			canonical: "_count=200&_lastUpdated=le2024-06-01T00%3A00%3A00Z&_sort=-_lastUpdated"},
		// Not a lower bound, not one condition, or another order asked: no change.
		{q: "_lastUpdated=le2024-06-01T00:00:00Z", canonical: "_count=200&_lastUpdated=le2024-06-01T00%3A00%3A00Z"},
		{q: "_lastUpdated=ne2024-05-01", canonical: "_count=200&_lastUpdated=ne2024-05-01"},
		{q: "_lastUpdated=ge2024-05-01T10:00:00Z,le2020-01-01", canonical: "_count=200&_lastUpdated=ge2024-05-01T10%3A00%3A00Z%2Cle2020-01-01"},
		{q: "_sort=name&_lastUpdated=ge2024-05-01T10:00:00Z", sort: []store.SortKey{{Param: "name"}},
			canonical: "_count=200&_lastUpdated=ge2024-05-01T10%3A00%3A00Z&_sort=name"},
		{q: "_sort=_id&_lastUpdated=ge2024-05-01T10:00:00Z", sort: []store.SortKey{{Param: "_id"}},
			canonical: "_count=200&_lastUpdated=ge2024-05-01T10%3A00%3A00Z&_sort=_id"},
	}
	for _, tc := range tests {
		s, _, err := reg.ParseQuery("Organization", mustQuery(t, tc.q), Options{})
		if err != nil {
			t.Errorf("%s: %v", tc.q, err)
			continue
		}
		if !reflect.DeepEqual(s.Sort, tc.sort) || s.Canonical != tc.canonical {
			t.Errorf("%s: sort %+v canonical %q, want %+v %q", tc.q, s.Sort, s.Canonical, tc.sort, tc.canonical)
		}
		var gotMin, gotMax *string
		if len(s.Query.Sort) > 0 {
			gotMin, gotMax = s.Query.Sort[0].KeyMin, s.Query.Sort[0].KeyMax
		}
		if !reflect.DeepEqual(gotMin, tc.min) || !reflect.DeepEqual(gotMax, tc.max) {
			t.Errorf("%s: key bounds %v..%v, want %v..%v", tc.q, deref(gotMin), deref(gotMax), deref(tc.min), deref(tc.max))
		}
		if len(s.Sort) > 0 && (s.Sort[0].KeyMin != nil || s.Sort[0].KeyMax != nil) {
			t.Errorf("%s: Search.Sort carries bounds; only Query.Sort should", tc.q)
		}
	}
}

func deref(p *string) string {
	if p == nil {
		return "nil"
	}
	return *p
}
