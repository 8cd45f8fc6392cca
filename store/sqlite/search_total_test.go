package sqlite

import (
	"context"
	"testing"

	"github.com/rorfhir/ror/store"
)

// totalOf returns the Total of a search for resources having code in parameter p.
func totalOf(t *testing.T, s *Store, p, code string) int {
	t.Helper()
	res, err := s.Search(context.Background(), store.Query{Type: "Organization", Total: true, Where: []store.Clause{{Any: []store.Cond{
		{Param: p, Kind: store.KindToken, Code: code, AnySystem: true}}}}})
	if err != nil {
		t.Fatal(err)
	}
	return res.Total
}

// TestMigrateMarksMultiValued: migration 5 marks the parameters that have several rows for a
// resource, so that totals count resources, not rows.
func TestMigrateMarksMultiValued(t *testing.T) {
	ctx := context.Background()
	s := openAtSchema(t, 4,
		"INSERT INTO version(seq, type, id, vid, last_updated, deleted, body) VALUES (1, 'Organization', 'a', 1, 0, 0, '{}')",
		"INSERT INTO resource(rid, type, id, vid, seq, deleted) VALUES (1, 'Organization', 'a', 1, 1, 0)",
		"INSERT INTO param(pid, type, name) VALUES (1, 'Organization', 'identifier'), (2, 'Organization', 'active')",
		"INSERT INTO system(sid, uri) VALUES (1, 'urn:a'), (2, 'urn:b')",
		"INSERT INTO ix_token(rid, pid, sid, code) VALUES (1, 1, 1, 'x'), (1, 1, 2, 'x'), (1, 2, 0, 'true')",
	)
	defer s.Close(ctx)
	if n := totalOf(t, s, "identifier", "x"); n != 1 {
		t.Errorf("identifier total %d, want 1", n)
	}
	if n := totalOf(t, s, "active", "true"); n != 1 {
		t.Errorf("active total %d, want 1", n)
	}
	var multi int64
	if err := s.read.QueryRow("SELECT multi FROM param WHERE pid = 2").Scan(&multi); err != nil || multi != 0 {
		t.Errorf("active: multi %d, %v; want 0", multi, err)
	}
}

// TestTotalAfterRollback: a batch rolled back forgets the parameters it marked as multi-valued,
// so that a later write marks them again.
func TestTotalAfterRollback(t *testing.T) {
	ctx := context.Background()
	s := OpenTemp(t)
	two := store.Index{Tokens: []store.TokenValue{{Param: "identifier", System: "urn:a", Code: "x"}, {Param: "identifier", System: "urn:b", Code: "x"}}}
	_, err := s.PutMany(ctx, []store.Write{
		{Type: "Organization", ID: "a", VersionID: 1, Body: []byte("{}"), Index: two},
		{Type: "Organization", ID: "b", VersionID: 2, Body: []byte("{}")}, // conflict: all is rolled back
	})
	if err == nil {
		t.Fatal("PutMany with a conflict succeeded")
	}
	if _, err := s.Put(ctx, store.Write{Type: "Organization", ID: "c", VersionID: 1, Body: []byte("{}"), Index: two}); err != nil {
		t.Fatal(err)
	}
	if n := totalOf(t, s, "identifier", "x"); n != 1 {
		t.Errorf("total %d, want 1", n)
	}
}
