package mongo

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/rorfhir/ror/store"
)

func TestWriteRead(t *testing.T) {
	uri := server(t)
	ctx := context.Background()

	t.Run("versions, conflicts, tombstones", func(t *testing.T) {
		s := openStore(t, uri)
		if _, err := s.Read(ctx, "Organization", "a"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("read of nothing: %v", err)
		}
		v1 := mustPut(t, s, write("Organization", "a", 1, t0, store.Index{}))
		v2 := mustPut(t, s, write("Organization", "a", 2, t0.Add(1e6), store.Index{}))
		if v1.Seq <= 0 || v2.Seq <= v1.Seq {
			t.Fatalf("seqs %d then %d", v1.Seq, v2.Seq)
		}
		for _, vid := range []int64{1, 2, 4} {
			_, err := s.Put(ctx, write("Organization", "a", vid, t0, store.Index{}))
			if !errors.Is(err, store.ErrVersionConflict) {
				t.Fatalf("put v%d over v2: %v", vid, err)
			}
		}
		got, err := s.Read(ctx, "Organization", "a")
		if err != nil || got.VersionID != 2 || string(got.Body) != string(v2.Body) || !got.LastUpdated.Equal(t0.Add(1e6)) {
			t.Fatalf("read: %+v %v", got, err)
		}
		old, err := s.VRead(ctx, "Organization", "a", 1)
		if err != nil || old.Seq != v1.Seq || string(old.Body) != string(v1.Body) {
			t.Fatalf("vread 1: %+v %v", old, err)
		}
		if _, err := s.VRead(ctx, "Organization", "a", 3); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("vread 3: %v", err)
		}
		mustPut(t, s, store.Write{Type: "Organization", ID: "a", VersionID: 3, LastUpdated: t0, Deleted: true})
		got, err = s.Read(ctx, "Organization", "a")
		if err != nil || !got.Deleted || got.Body != nil || got.VersionID != 3 {
			t.Fatalf("read tombstone: %+v %v", got, err)
		}
	})

	t.Run("concurrent writers: one wins each version", func(t *testing.T) {
		s := openStore(t, uri)
		const writers, rounds = 6, 5
		var wg sync.WaitGroup
		wins := make([]int, writers)
		for w := range writers {
			wg.Go(func() {
				for range rounds {
					for {
						cur, err := s.Read(ctx, "Location", "x")
						next := int64(1)
						if err == nil {
							next = cur.VersionID + 1
						} else if !errors.Is(err, store.ErrNotFound) {
							t.Error(err)
							return
						}
						_, err = s.Put(ctx, write("Location", "x", next, t0, store.Index{}))
						if err == nil {
							wins[w]++
							break
						}
						if !errors.Is(err, store.ErrVersionConflict) {
							t.Error(err)
							return
						}
					}
				}
			})
		}
		wg.Wait()
		h, err := s.History(ctx, store.HistoryQuery{Type: "Location", ID: "x", Count: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Versions) != writers*rounds {
			t.Fatalf("history holds %d versions, want %d", len(h.Versions), writers*rounds)
		}
		for i, v := range h.Versions {
			if v.VersionID != int64(writers*rounds-i) {
				for _, v := range h.Versions {
					t.Logf("v%d seq %d", v.VersionID, v.Seq)
				}
				t.Fatalf("history[%d] is version %d", i, v.VersionID)
			}
		}
		r, err := s.Search(ctx, store.Query{Type: "Location", Count: 10})
		if err != nil || len(r.Matches) != 1 || r.Matches[0].VersionID != writers*rounds {
			t.Fatalf("search after the race: %+v %v", r, err)
		}
	})

	t.Run("a dead writer is rolled forward", func(t *testing.T) {
		s := openStore(t, uri)
		tok := store.Index{Tokens: []store.TokenValue{{Param: "identifier", System: "s", Code: "1"}}}
		mustPut(t, s, write("Organization", "d", 1, t0, store.Index{}))
		// Version 2 inserted, then the writer dies before moving the pointer.
		halfPut(t, s, write("Organization", "d", 2, t0.Add(5e6), tok))
		q := store.Query{Type: "Organization", Count: 5, Where: []store.Clause{{Any: []store.Cond{
			{Param: "identifier", Kind: store.KindToken, System: "s", Code: "1"}}}}}
		if r, _ := s.Search(ctx, q); len(r.Matches) != 0 {
			t.Fatalf("the pointer moved by itself")
		}
		got, err := s.Read(ctx, "Organization", "d")
		if err != nil || got.VersionID != 2 {
			t.Fatalf("read: %+v %v", got, err)
		}
		if r, err := s.Search(ctx, q); err != nil || len(r.Matches) != 1 || r.Matches[0].VersionID != 2 {
			t.Fatalf("search after read: %+v %v", r, err)
		}
		h, err := s.History(ctx, store.HistoryQuery{Type: "Organization", ID: "d", At: t0.Add(6e6), Count: 5})
		if err != nil || len(h.Versions) != 1 || h.Versions[0].VersionID != 2 {
			t.Fatalf("history at: %+v %v", h, err)
		}
		// Same with Repair (run by Open) instead of a read.
		halfPut(t, s, write("Organization", "d", 3, t0.Add(7e6), store.Index{}))
		if err := s.Repair(ctx); err != nil {
			t.Fatal(err)
		}
		if r, err := s.Search(ctx, q); err != nil || len(r.Matches) != 0 {
			t.Fatalf("search after repair: %+v %v", r, err)
		}
		// Reindex of a half-written version rolls it forward first.
		halfPut(t, s, write("Organization", "d", 4, t0.Add(8e6), store.Index{}))
		if err := s.Reindex(ctx, "Organization", "d", 3, tok); !errors.Is(err, store.ErrVersionConflict) {
			t.Fatalf("reindex of a superseded version: %v", err)
		}
		if err := s.Reindex(ctx, "Organization", "d", 4, tok); err != nil {
			t.Fatal(err)
		}
		if r, err := s.Search(ctx, q); err != nil || len(r.Matches) != 1 || r.Matches[0].VersionID != 4 {
			t.Fatalf("search after reindex: %+v %v", r, err)
		}
	})

	t.Run("put many", func(t *testing.T) {
		s := openStore(t, uri)
		mustPut(t, s, write("Organization", "m", 1, t0, store.Index{}))
		vs, err := s.PutMany(ctx, []store.Write{
			write("Organization", "n", 1, t0, store.Index{}),
			write("Organization", "m", 1, t0, store.Index{}), // conflict
			write("Organization", "o", 1, t0, store.Index{}),
		})
		var be *store.BatchError
		if !errors.As(err, &be) || be.Index != 1 || !errors.Is(err, store.ErrVersionConflict) {
			t.Fatalf("put many: %v", err)
		}
		_, errN := s.Read(ctx, "Organization", "n")
		_, errO := s.Read(ctx, "Organization", "o")
		if !errors.Is(errO, store.ErrNotFound) {
			t.Fatalf("write after the failing one applied: %v", errO)
		}
		if s.Capabilities().Transactions != errors.Is(errN, store.ErrNotFound) {
			t.Fatalf("transactions %v, write before the failing one: %v (%d versions)",
				s.Capabilities().Transactions, errN, len(vs))
		}
	})
}

// halfPut does the first step of a Put only, as a writer that dies before moving the pointer.
func halfPut(t *testing.T, s *Store, w store.Write) {
	t.Helper()
	if _, err := s.insertVersion(context.Background(), w); err != nil {
		t.Fatal(err)
	}
}
