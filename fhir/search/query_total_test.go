package search

import "testing"

// _total=estimate asks the store for a total exact up to EstimateExactUpTo; none and accurate do not.
func TestParseQueryTotalEstimate(t *testing.T) {
	reg := Default()
	for q, want := range map[string]int{"_total=estimate": EstimateExactUpTo, "_total=accurate": 0, "_total=none": 0, "": 0} {
		s, _, err := reg.ParseQuery("Organization", mustQuery(t, q), Options{})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if s.Query.TotalCap != want {
			t.Errorf("%s: TotalCap %d, want %d", q, s.Query.TotalCap, want)
		}
	}
}
