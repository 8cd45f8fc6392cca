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
