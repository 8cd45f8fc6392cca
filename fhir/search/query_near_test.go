package search

import (
	"reflect"
	"testing"

	"github.com/rorfhir/ror/store"
)

// _sort=near orders by the distance from the near point; other keys follow; the self link and
// the cursor hash keep the sort.
func TestParseQueryNearSort(t *testing.T) {
	reg := Default()
	pt := &store.Point{Lat: 48.85, Lon: 2.35}
	for _, tc := range []struct {
		q    string
		want []store.SortKey
	}{
		{"near=48.85|2.35|10|km&_sort=near", []store.SortKey{{Param: "near", Near: pt}}},
		{"near=48.85|2.35|10|km&_sort=-near,name", []store.SortKey{{Param: "near", Desc: true, Near: pt}, {Param: "name"}}},
		{"near=48.85|2.35|10|km&_sort=name,near", []store.SortKey{{Param: "name"}, {Param: "near", Near: pt}}},
	} {
		s, issues, err := reg.ParseQuery("Location", mustQuery(t, tc.q), Options{Strict: true})
		if err != nil || len(issues) > 0 {
			t.Fatalf("%s: %v %v", tc.q, err, issues)
		}
		if !reflect.DeepEqual(s.Query.Sort, tc.want) {
			t.Errorf("%s: sort %+v, want %+v", tc.q, s.Query.Sort, tc.want)
		}
	}
	// near on a type without a near parameter is not a sort key.
	if _, _, err := reg.ParseQuery("Organization", mustQuery(t, "_sort=near"), Options{Strict: true}); err == nil {
		t.Error("Organization?_sort=near: no error in strict mode")
	}
}
