package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/rorfhir/ror/store"
)

// TestMigrateInternsURIs: a database of schema 3 (URIs stored inline) keeps its uri index
// through migration 4.
func TestMigrateInternsURIs(t *testing.T) {
	ctx := context.Background()
	s := openAtSchema(t, 3,
		"INSERT INTO version(seq, type, id, vid, last_updated, deleted, body) VALUES (1, 'Organization', 'a', 1, 0, 0, '{}')",
		"INSERT INTO resource(rid, type, id, vid, seq, deleted) VALUES (1, 'Organization', 'a', 1, 1, 0)",
		"INSERT INTO param(pid, type, name) VALUES (1, 'Organization', '_profile')",
		"INSERT INTO system(sid, uri) VALUES (1, 'urn:sys')",
		"INSERT INTO ix_uri(rid, pid, uri) VALUES (1, 1, 'http://p/Org'), (1, 1, 'urn:sys')",
	)
	defer s.Close(ctx)
	for _, c := range []store.Cond{
		{Param: "_profile", Kind: store.KindURI, Value: "http://p/Org"},
		{Param: "_profile", Kind: store.KindURI, Value: "urn:sys"},
		{Param: "_profile", Kind: store.KindURI, Op: store.OpBelow, Value: "http://p/"},
		{Param: "_profile", Kind: store.KindURI, Op: store.OpAbove, Value: "http://p/Org/x"},
	} {
		res, err := s.Search(ctx, store.Query{Type: "Organization", Count: 10, Where: []store.Clause{{Any: []store.Cond{c}}}})
		if err != nil || len(res.Matches) != 1 {
			t.Errorf("%+v after migration: %d matches, %v", c, len(res.Matches), err)
		}
	}
}

// openAtSchema builds a database at schema version (the first version migrations, then rows),
// and opens it with Open, which runs the later migrations.
func openAtSchema(t *testing.T, version int, rows ...string) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ror.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	steps := []string{"CREATE TABLE schema_version (version INTEGER NOT NULL)"}
	steps = append(steps, migrations()[:version]...)
	steps = append(steps, fmt.Sprintf("INSERT INTO schema_version VALUES (%d)", version))
	steps = append(steps, rows...)
	for _, q := range steps {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestMigrateKeepsStoredSortKeys: the parameters of a database of schema 6 keep their sort keys
// in ix_sort through migration 7 (sortsrc 0), and later writes go on storing theirs.
func TestMigrateKeepsStoredSortKeys(t *testing.T) {
	ctx := context.Background()
	s := openAtSchema(t, 6,
		"INSERT INTO version(seq, type, id, vid, last_updated, deleted, body) VALUES (1, 'Organization', 'a', 1, 0, 0, '{}')",
		"INSERT INTO resource(rid, type, id, vid, seq, deleted, ixmask) VALUES (1, 'Organization', 'a', 1, 1, 0, 260)",
		"INSERT INTO param(pid, type, name) VALUES (1, 'Organization', 'name')",
		"INSERT INTO ix_string(rid, pid, norm, exact) VALUES (1, 1, 'zeta', 'Zeta')",
		"INSERT INTO ix_sort(rid, pid, key) VALUES (1, 1, 'zeta')",
	)
	defer s.Close(ctx)
	w := store.Write{Type: "Organization", ID: "b", VersionID: 1, Body: []byte("{}"), Index: store.Index{
		Strings: []store.StringValue{{Param: "name", Norm: "alpha", Exact: "Alpha"}},
		Sorts:   []store.SortValue{{Param: "name", Key: "alpha"}},
	}}
	if _, err := s.Put(ctx, w); err != nil {
		t.Fatal(err)
	}
	var src, rows int64
	if err := s.read.QueryRowContext(ctx, "SELECT sortsrc, (SELECT count(*) FROM ix_sort WHERE pid = 1) FROM param WHERE pid = 1").Scan(&src, &rows); err != nil {
		t.Fatal(err)
	}
	if src != sortStored || rows != 2 {
		t.Errorf("after migration and a write: sortsrc %d with %d ix_sort rows, want %d with 2", src, rows, sortStored)
	}
	res, err := s.Search(ctx, store.Query{Type: "Organization", Count: 10, Sort: []store.SortKey{{Param: "name"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res.Matches); len(got) != 2 || got[0] != "b" || got[1] != "a" {
		t.Errorf("sorted by name: %v, want [b a]", got)
	}
}
