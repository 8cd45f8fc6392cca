package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/rorfhir/ror/store"
)

// testSearchTotalCap: a cheap total (Query.TotalCap) is the exact number of matches up to the cap
// and an estimate above it, which is exact on a type small enough to be sampled whole; it
// honours the snapshot (MaxSeq); Total (exact) wins over it.
func testSearchTotalCap(t *testing.T, s store.Store) {
	ctx := context.Background()
	for i := range 40 {
		group := "odd"
		if i%5 < 3 {
			group = "x" // 24 of 40
		}
		mustPut(t, s, write("Organization", fmt.Sprintf("t%02d", i), 1, i, store.Index{Tokens: []store.TokenValue{tok("group", "", group, "")}}))
	}
	mustPut(t, s, tombstone("Organization", "t00", 2, 50)) // 23 live in group x
	search := func(q store.Query) store.SearchResult {
		t.Helper()
		res, err := s.Search(ctx, q)
		if err != nil {
			t.Fatalf("Search: %v", err)
		}
		return res
	}
	groupX := and(code("group", "x"))
	for _, tc := range []struct {
		name  string
		q     store.Query
		total int
	}{
		{"under the cap: exact", store.Query{Type: "Organization", Where: groupX, TotalCap: 100, Count: 5}, 23},
		{"at the cap: exact", store.Query{Type: "Organization", Where: groupX, TotalCap: 23, Count: 5}, 23},
		{"over the cap, small type sampled whole", store.Query{Type: "Organization", Where: groupX, TotalCap: 3, Count: 5}, 23},
		{"over the cap, no condition", store.Query{Type: "Organization", TotalCap: 3}, 39},
		{"no match", store.Query{Type: "Organization", Where: and(code("group", "none")), TotalCap: 3, Count: 5}, 0},
		{"without a page", store.Query{Type: "Organization", Where: groupX, TotalCap: 3}, 23},
		{"Total wins", store.Query{Type: "Organization", Where: groupX, TotalCap: 3, Total: true, Count: 1}, 23},
		{"another type", store.Query{Type: "Location", TotalCap: 3}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := search(tc.q).Total; got != tc.total {
				t.Errorf("Total %d, want %d", got, tc.total)
			}
		})
	}
	t.Run("no cap, no Total: -1", func(t *testing.T) {
		if got := search(store.Query{Type: "Organization", Where: groupX, Count: 5}).Total; got != -1 {
			t.Errorf("Total %d, want -1", got)
		}
	})
	t.Run("snapshot", func(t *testing.T) {
		first := search(store.Query{Type: "Organization", Where: groupX, TotalCap: 3, Count: 1})
		mustPut(t, s, write("Organization", "t99", 1, 60, store.Index{Tokens: []store.TokenValue{tok("group", "", "x", "")}}))
		for _, limit := range []int{3, 100} {
			q := store.Query{Type: "Organization", Where: groupX, TotalCap: limit, Count: 1, MaxSeq: first.MaxSeq}
			if got := search(q).Total; got != 23 {
				t.Errorf("cap %d: Total %d in the snapshot of the first page, want 23", limit, got)
			}
		}
		if got := search(store.Query{Type: "Organization", Where: groupX, TotalCap: 3}).Total; got != 24 {
			t.Errorf("Total %d after a creation, want 24", got)
		}
	})
}
