package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rorfhir/ror/store"
)

// testCRUD: create, update, delete, re-create; Read and VRead of every version; exact bytes.
func testCRUD(t *testing.T, s store.Store) {
	ctx := context.Background()
	exotic := `"price":4.50,"big":1.0e+2,"name":"Bénédicte ✓ 東京","_name":{"extension":[]},"unknownElement":[null,{}]`
	steps := []struct {
		name string
		w    store.Write
	}{
		{"create", store.Write{Type: "Organization", ID: "a", VersionID: 1, LastUpdated: at(1),
			Body: body("Organization", "a", 1, exotic)}},
		{"update to 2", write("Organization", "a", 2, 2, store.Index{})},
		{"update to 3", store.Write{Type: "Organization", ID: "a", VersionID: 3, LastUpdated: at(3).Add(123e6),
			Body: body("Organization", "a", 3, `"x":"\u00e9"`)}},
		{"large body", store.Write{Type: "Organization", ID: "a", VersionID: 4, LastUpdated: at(4),
			Body: body("Organization", "a", 4, largeMembers())}},
		{"delete", tombstone("Organization", "a", 5, 4)},
		{"re-create after delete", write("Organization", "a", 6, 5, store.Index{})},
		{"same id, other type", write("Location", "a", 1, 6, store.Index{})},
		{"delete without body", tombstone("Location", "a", 2, 7)},
	}
	var written []store.Version
	var lastSeq int64
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			got, err := s.Put(ctx, st.w)
			if err != nil {
				t.Fatalf("Put: %v", err)
			}
			want := store.Version{Type: st.w.Type, ID: st.w.ID, VersionID: st.w.VersionID, Seq: got.Seq,
				LastUpdated: st.w.LastUpdated, Deleted: st.w.Deleted, Body: st.w.Body}
			if d := sameVersion(got, want); d != "" {
				t.Errorf("Put returned: %s", d)
			}
			if got.Seq <= lastSeq {
				t.Errorf("Seq %d not above the previous write's %d", got.Seq, lastSeq)
			}
			lastSeq = got.Seq
			written = append(written, got)
			cur, err := s.Read(ctx, st.w.Type, st.w.ID)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if d := sameVersion(cur, got); d != "" {
				t.Errorf("Read: %s", d)
			}
		})
	}
	t.Run("VRead every version", func(t *testing.T) {
		for _, want := range written {
			got, err := s.VRead(ctx, want.Type, want.ID, want.VersionID)
			if err != nil {
				t.Errorf("VRead %s: %v", key(want), err)
				continue
			}
			if d := sameVersion(got, want); d != "" {
				t.Errorf("VRead: %s", d)
			}
		}
	})
	t.Run("exact bytes", func(t *testing.T) {
		got, err := s.VRead(ctx, "Organization", "a", 1)
		if err != nil {
			t.Fatal(err)
		}
		if want := string(body("Organization", "a", 1, exotic)); string(got.Body) != want {
			t.Errorf("body %s, want %s", got.Body, want)
		}
	})
	t.Run("current tombstone", func(t *testing.T) {
		got, err := s.Read(ctx, "Location", "a")
		if err != nil {
			t.Fatalf("Read of a deleted resource: %v, want the tombstone", err)
		}
		if !got.Deleted || got.Body != nil || got.VersionID != 2 {
			t.Errorf("Read = v%d deleted=%v body=%q, want v2 tombstone without body", got.VersionID, got.Deleted, got.Body)
		}
	})
	notFound := []struct {
		name, typ, id string
		vread         bool
		vid           int64
	}{
		{"Read unknown id", "Organization", "nope", false, 0},
		{"Read unknown type", "Practitioner", "a", false, 0},
		{"VRead unknown id", "Organization", "nope", true, 1},
		{"VRead version 0", "Organization", "a", true, 0},
		{"VRead future version", "Organization", "a", true, 7},
		{"VRead other type's version", "Location", "a", true, 3},
	}
	for _, c := range notFound {
		t.Run(c.name, func(t *testing.T) {
			var err error
			if c.vread {
				_, err = s.VRead(ctx, c.typ, c.id, c.vid)
			} else {
				_, err = s.Read(ctx, c.typ, c.id)
			}
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("err = %v, want ErrNotFound", err)
			}
		})
	}
}

// testConflicts: a write whose VersionID is not current+1 fails and leaves no trace.
func testConflicts(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustPut(t, s, write("Organization", "c", 1, 1, store.Index{}))
	v2 := mustPut(t, s, write("Organization", "c", 2, 2, store.Index{}))
	mustPut(t, s, write("Organization", "gone", 1, 3, store.Index{}))
	gone := mustPut(t, s, tombstone("Organization", "gone", 2, 4))
	cases := []struct {
		name string
		w    store.Write
	}{
		{"stale version", write("Organization", "c", 2, 10, store.Index{})},
		{"older version", write("Organization", "c", 1, 10, store.Index{})},
		{"skipped version", write("Organization", "c", 4, 10, store.Index{})},
		{"duplicate create", write("Organization", "c", 1, 10, store.Index{})},
		{"version 0", write("Organization", "c", 0, 10, store.Index{})},
		{"create of a new resource at version 2", write("Organization", "new", 2, 10, store.Index{})},
		{"stale delete", tombstone("Organization", "c", 2, 10)},
		{"create over a tombstone", write("Organization", "gone", 1, 10, store.Index{})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := s.Put(ctx, c.w); !isConflict(err) {
				t.Errorf("Put %s/%s v%d: err = %v, want ErrVersionConflict", c.w.Type, c.w.ID, c.w.VersionID, err)
			}
		})
	}
	t.Run("no trace", func(t *testing.T) {
		for _, want := range []store.Version{v2, gone} {
			got, err := s.Read(ctx, want.Type, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			if d := sameVersion(got, want); d != "" {
				t.Errorf("after conflicts: %s", d)
			}
		}
		if _, err := s.Read(ctx, "Organization", "new"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Read of a failed create: %v, want ErrNotFound", err)
		}
		page, err := s.History(ctx, store.HistoryQuery{Count: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Versions) != 4 {
			t.Errorf("system history holds %v, want the 4 successful writes", keys(page.Versions))
		}
		next := mustPut(t, s, write("Organization", "c", 3, 11, store.Index{}))
		if next.Seq <= gone.Seq {
			t.Errorf("Seq after conflicts %d, want above %d", next.Seq, gone.Seq)
		}
	})
}

// largeMembers is about 40 KB of JSON members: repetitive text, and pseudo-random digits that
// compress badly, so that a backend compressing bodies meets both cases.
func largeMembers() string {
	var b strings.Builder
	b.WriteString(`"text":"`)
	for range 500 {
		b.WriteString("Établissement de santé, unité de soins 4.50 € ")
	}
	b.WriteString(`","noise":"`)
	x := uint32(2463534242)
	for range 16000 {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b.WriteByte(byte('0' + x%10))
	}
	b.WriteString(`"`)
	return b.String()
}
