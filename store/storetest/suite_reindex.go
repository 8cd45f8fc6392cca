package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/rorfhir/ror/store"
)

// testReindex: Reindex replaces the search values of the current version without a new version.
func testReindex(t *testing.T, s store.Store) {
	ctx := context.Background()
	idx := func(c string) store.Index {
		return store.Index{Tokens: []store.TokenValue{tok("identifier", "", c, "")}, Sorts: []store.SortValue{srt("identifier", c)}}
	}
	mustPut(t, s, write("Organization", "a", 1, 1, idx("old")))
	v2 := mustPut(t, s, write("Organization", "a", 2, 2, idx("old")))
	mustPut(t, s, write("Organization", "b", 1, 3, idx("b")))
	mustPut(t, s, write("Organization", "gone", 1, 4, idx("gone")))
	mustPut(t, s, tombstone("Organization", "gone", 2, 5))
	find := func(c string) []string {
		t.Helper()
		res, err := s.Search(ctx, store.Query{Type: "Organization", Where: and(code("identifier", c)), Count: 10})
		if err != nil {
			t.Fatalf("Search: %v", err)
		}
		return ids(res.Matches)
	}
	if err := s.Reindex(ctx, "Organization", "a", 2, idx("new")); err != nil {
		t.Fatalf("Reindex: %v", err)
	}
	if got := find("new"); !slices.Equal(got, []string{"a"}) {
		t.Errorf("new value: %v, want [a]", got)
	}
	if got := find("old"); len(got) != 0 {
		t.Errorf("old value still found: %v", got)
	}
	cur, err := s.Read(ctx, "Organization", "a")
	if err != nil {
		t.Fatal(err)
	}
	if d := sameVersion(cur, v2); d != "" {
		t.Errorf("Reindex changed the version: %s", d)
	}
	h, err := s.History(ctx, store.HistoryQuery{Count: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Versions) != 5 {
		t.Errorf("history has %d versions, want 5", len(h.Versions))
	}
	res, err := s.Search(ctx, store.Query{Type: "Organization", Sort: []store.SortKey{{Param: "identifier"}}, Count: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res.Matches); !slices.Equal(got, []string{"b", "a"}) {
		t.Errorf("sorted by the new keys: %v, want [b a]", got)
	}
	if err := s.Reindex(ctx, "Organization", "a", 1, idx("x")); !errors.Is(err, store.ErrVersionConflict) {
		t.Errorf("Reindex of a superseded version: %v, want ErrVersionConflict", err)
	}
	if err := s.Reindex(ctx, "Organization", "gone", 2, idx("x")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Reindex of a deleted resource: %v, want ErrNotFound", err)
	}
	if err := s.Reindex(ctx, "Organization", "never", 1, idx("x")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Reindex of a missing resource: %v, want ErrNotFound", err)
	}
	// A later write replaces the reindexed values as usual.
	mustPut(t, s, write("Organization", "a", 3, 6, idx("third")))
	if got := find("new"); len(got) != 0 {
		t.Errorf("reindexed value survives a new version: %v", got)
	}
	if got := find("third"); !slices.Equal(got, []string{"a"}) {
		t.Errorf("value of the new version: %v", got)
	}
}
