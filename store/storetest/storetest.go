// Package storetest is the contract suite of store.Store: Run exercises one backend and fails on
// any behaviour that departs from the contract documented in package store. Every backend's tests
// call Run unchanged, so that the backends cannot drift apart.
//
// The suite builds store.Write values with hand-made store.Index values: it must not import
// fhir/search (nor any package of the project other than store) and no backend.
// History with At returns, per resource, the version current at that instant, a tombstone
// included when the resource was deleted then (the suite expects tombstones).
//
// Datasets stay small: some backends are slow. Tests of all-or-nothing batches run only when
// Capabilities().Transactions says so.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rorfhir/ror/store"
)

// Run runs the contract suite. open must return a fresh, empty store each time it is called and
// arrange its Close (for example with t.Cleanup); it is called once per group of subtests.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	t.Run("CRUD", func(t *testing.T) { testCRUD(t, open(t)) })
	t.Run("VersionConflicts", func(t *testing.T) { testConflicts(t, open(t)) })
	t.Run("ConcurrentSameVersion", func(t *testing.T) { testConcurrentSameVersion(t, open(t)) })
	t.Run("ConcurrentNoLostUpdate", func(t *testing.T) { testNoLostUpdate(t, open(t)) })
	t.Run("History", func(t *testing.T) { testHistory(t, open(t)) })
	t.Run("HistoryUnderWrites", func(t *testing.T) { testHistoryUnderWrites(t, open(t)) })
	t.Run("HistoryMethod", func(t *testing.T) { testHistoryMethod(t, open(t)) })
	t.Run("PutMany", func(t *testing.T) { testPutMany(t, open) })
	t.Run("Search", func(t *testing.T) { testSearch(t, open(t)) })
	t.Run("SearchPaging", func(t *testing.T) { testSearchPaging(t, open(t)) })
	t.Run("SearchNearSort", func(t *testing.T) { testSearchNearSort(t, open(t)) })
	t.Run("SearchTotalCap", func(t *testing.T) { testSearchTotalCap(t, open(t)) })
	t.Run("SearchSnapshot", func(t *testing.T) { testSearchSnapshot(t, open(t)) })
	t.Run("SearchKeyBounds", func(t *testing.T) { testSearchKeyBounds(t, open(t)) })
	t.Run("Reindex", func(t *testing.T) { testReindex(t, open(t)) })
}

// at is the clock of the suite: write n happens n seconds after 2024-03-01T08:00:00Z.
func at(n int) time.Time { return time.Date(2024, 3, 1, 8, 0, n, 0, time.UTC) }

// body is a small FHIR-like JSON document; extra is spliced in as more members.
func body(typ, id string, vid int64, extra string) []byte {
	b := fmt.Sprintf(`{"resourceType":%q,"id":%q,"meta":{"versionId":"%d"}`, typ, id, vid)
	if extra != "" {
		b += "," + extra
	}
	return []byte(b + "}")
}

// write builds a non-deleted write at instant n.
func write(typ, id string, vid int64, n int, ix store.Index) store.Write {
	return store.Write{Type: typ, ID: id, VersionID: vid, LastUpdated: at(n), Body: body(typ, id, vid, ""), Index: ix}
}

// tombstone builds a delete at instant n.
func tombstone(typ, id string, vid int64, n int) store.Write {
	return store.Write{Type: typ, ID: id, VersionID: vid, LastUpdated: at(n), Deleted: true}
}

func mustPut(t *testing.T, s store.Store, w store.Write) store.Version {
	t.Helper()
	v, err := s.Put(context.Background(), w)
	if err != nil {
		t.Fatalf("Put %s/%s v%d: %v", w.Type, w.ID, w.VersionID, err)
	}
	return v
}

// sameVersion reports how got differs from want (every field), or "".
func sameVersion(got, want store.Version) string {
	switch {
	case got.Type != want.Type || got.ID != want.ID || got.VersionID != want.VersionID:
		return fmt.Sprintf("got %s/%s v%d, want %s/%s v%d", got.Type, got.ID, got.VersionID, want.Type, want.ID, want.VersionID)
	case got.Seq != want.Seq:
		return fmt.Sprintf("%s/%s v%d: Seq %d, want %d", got.Type, got.ID, got.VersionID, got.Seq, want.Seq)
	case !got.LastUpdated.Equal(want.LastUpdated):
		return fmt.Sprintf("%s/%s v%d: LastUpdated %v, want %v", got.Type, got.ID, got.VersionID, got.LastUpdated, want.LastUpdated)
	case got.LastUpdated.Location() != time.UTC:
		return fmt.Sprintf("%s/%s v%d: LastUpdated %v not in UTC", got.Type, got.ID, got.VersionID, got.LastUpdated)
	case got.Deleted != want.Deleted:
		return fmt.Sprintf("%s/%s v%d: Deleted %v, want %v", got.Type, got.ID, got.VersionID, got.Deleted, want.Deleted)
	case want.Deleted && got.Body != nil:
		return fmt.Sprintf("%s/%s v%d: tombstone with body %q", got.Type, got.ID, got.VersionID, got.Body)
	case string(got.Body) != string(want.Body):
		return fmt.Sprintf("%s/%s v%d: body %q, want %q", got.Type, got.ID, got.VersionID, got.Body, want.Body)
	}
	return ""
}

// key names a version in failure messages and sets.
func key(v store.Version) string { return fmt.Sprintf("%s/%s/_history/%d", v.Type, v.ID, v.VersionID) }

func keys(vs []store.Version) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = key(v)
	}
	return out
}

// FollowPages runs q and the queries of its next positions on s, up to maxPages pages (more
// fails the test), and returns the ids of every page in order.
func FollowPages(t *testing.T, s store.Store, q store.Query, maxPages int) []string {
	t.Helper()
	var got []string
	for pages := 0; ; pages++ {
		if pages >= maxPages {
			t.Fatalf("paging does not end after %d pages", maxPages)
		}
		res, err := s.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ids(res.Matches)...)
		if res.Next == nil {
			return got
		}
		q.After = res.Next
	}
}

func ids(vs []store.Version) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.ID
	}
	return out
}

// isConflict reports whether err is a version conflict.
func isConflict(err error) bool { return errors.Is(err, store.ErrVersionConflict) }
