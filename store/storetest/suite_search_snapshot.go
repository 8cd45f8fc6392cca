package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/rorfhir/ror/store"
)

// testSearchSnapshot: following pages pinned with MaxSeq never show a resource written after the
// first page, so a resource updated meanwhile is not repeated.
func testSearchSnapshot(t *testing.T, s store.Store) {
	ctx := context.Background()
	rank := func(id, r string, vid int64, n int) store.Write {
		return write("Organization", id, vid, n, store.Index{Sorts: []store.SortValue{srt("rank", r)}})
	}
	var last store.Version
	for i := 1; i <= 6; i++ {
		last = mustPut(t, s, rank(fmt.Sprintf("r%d", i), fmt.Sprint(i), 1, i))
	}
	q := store.Query{Type: "Organization", Sort: []store.SortKey{{Param: "rank"}}, Count: 2}
	first, err := s.Search(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(first.Matches); !slices.Equal(got, []string{"r1", "r2"}) || first.Next == nil {
		t.Fatalf("first page %v (Next %v), want [r1 r2] and a Next", got, first.Next)
	}
	if first.MaxSeq != last.Seq {
		t.Errorf("MaxSeq %d, want the Seq of the last write %d", first.MaxSeq, last.Seq)
	}
	if first.Total != -1 {
		t.Errorf("Total %d without asking, want -1", first.Total)
	}
	// Meanwhile: r1 (seen) moves to the end, r4 (not yet seen) changes, r7 is created.
	mustPut(t, s, rank("r1", "9", 2, 10))
	mustPut(t, s, rank("r4", "4", 2, 11))
	mustPut(t, s, rank("r7", "7", 1, 12))

	cases := []struct {
		name   string
		maxSeq int64
		want   []string
	}{
		{"pinned to the first page", first.MaxSeq, []string{"r3", "r5", "r6"}},
		{"not pinned: current versions", 0, []string{"r3", "r4", "r5", "r6", "r7", "r1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := q
			q.After, q.MaxSeq = first.Next, c.maxSeq
			if got := FollowPages(t, s, q, 20); !slices.Equal(got, c.want) {
				t.Errorf("following pages %v, want %v", got, c.want)
			}
		})
	}
	t.Run("total honours MaxSeq", func(t *testing.T) {
		res, err := s.Search(ctx, store.Query{Type: "Organization", MaxSeq: first.MaxSeq, Total: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 4 { // r2, r3, r5, r6: r1 and r4 have newer versions, r7 is new
			t.Errorf("Total %d, want 4", res.Total)
		}
	})
}
