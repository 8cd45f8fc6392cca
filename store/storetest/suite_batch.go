package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/rorfhir/ror/store"
)

// testPutMany: writes applied in order, each checked as Put does; the failing one named by a
// *BatchError; all or nothing when the backend has transactions.
func testPutMany(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	t.Run("in order", func(t *testing.T) {
		s := open(t)
		ws := []store.Write{
			write("Organization", "b1", 1, 1, store.Index{}),
			write("Organization", "b1", 2, 2, store.Index{}), // depends on the previous write
			write("Location", "b2", 1, 3, store.Index{}),
			tombstone("Organization", "b1", 3, 4),
		}
		vs, err := s.PutMany(ctx, ws)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != len(ws) {
			t.Fatalf("%d versions for %d writes", len(vs), len(ws))
		}
		for i, v := range vs {
			w := ws[i]
			want := store.Version{Type: w.Type, ID: w.ID, VersionID: w.VersionID, Seq: v.Seq,
				LastUpdated: w.LastUpdated, Deleted: w.Deleted, Body: w.Body}
			if d := sameVersion(v, want); d != "" {
				t.Errorf("write %d: %s", i, d)
			}
			if i > 0 && v.Seq <= vs[i-1].Seq {
				t.Errorf("write %d: Seq %d not above %d", i, v.Seq, vs[i-1].Seq)
			}
			got, err := s.VRead(ctx, w.Type, w.ID, w.VersionID)
			if err != nil {
				t.Fatal(err)
			}
			if d := sameVersion(got, v); d != "" {
				t.Errorf("VRead of write %d: %s", i, d)
			}
		}
	})
	failing := []struct {
		name  string
		ws    []store.Write
		index int
	}{
		{"conflict in the middle", []store.Write{
			write("Organization", "x", 1, 1, store.Index{}),
			write("Organization", "y", 2, 2, store.Index{}),
			write("Organization", "z", 1, 3, store.Index{}),
		}, 1},
		{"conflict with an earlier write of the batch", []store.Write{
			write("Organization", "x", 1, 1, store.Index{}),
			write("Organization", "z", 1, 2, store.Index{}),
			write("Organization", "x", 1, 3, store.Index{}),
		}, 2},
		{"conflict first", []store.Write{
			write("Organization", "pre", 1, 1, store.Index{}),
			write("Organization", "x", 1, 2, store.Index{}),
		}, 0},
	}
	for _, c := range failing {
		t.Run(c.name, func(t *testing.T) {
			s := open(t)
			pre := mustPut(t, s, write("Organization", "pre", 1, 0, store.Index{}))
			_, err := s.PutMany(ctx, c.ws)
			var be *store.BatchError
			if !errors.As(err, &be) {
				t.Fatalf("err = %v, want a *store.BatchError", err)
			}
			if be.Index != c.index || !isConflict(err) {
				t.Errorf("BatchError{Index: %d, Err: %v}, want index %d and ErrVersionConflict", be.Index, be.Err, c.index)
			}
			if got, err := s.Read(ctx, "Organization", "pre"); err != nil || got.VersionID != 1 {
				t.Errorf("resource written before the batch: v%d, %v", got.VersionID, err)
			}
			page, err := s.History(ctx, store.HistoryQuery{Count: 100})
			if err != nil {
				t.Fatal(err)
			}
			if !s.Capabilities().Transactions {
				// Writes before the failing one stay.
				if want := 1 + c.index; len(page.Versions) != want {
					t.Errorf("history %v: want the %d writes before the failing one", keys(page.Versions), want)
				}
				return
			}
			if len(page.Versions) != 1 || page.Versions[0].Seq != pre.Seq {
				t.Errorf("history after a failed transactional batch: %v, want only %s", keys(page.Versions), key(pre))
			}
			for _, w := range c.ws {
				if w.ID == "pre" {
					continue
				}
				if _, err := s.Read(ctx, w.Type, w.ID); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("Read %s/%s after a failed batch: %v, want ErrNotFound", w.Type, w.ID, err)
				}
			}
		})
	}
}
