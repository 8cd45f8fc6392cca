package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rorfhir/ror/store"
	"github.com/rorfhir/ror/store/sqlite"
)

func TestReopenKeepsDataAndMigratesOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "ror.db") // the directory is created
	w := store.Write{Type: "Organization", ID: "a", VersionID: 1, LastUpdated: time.UnixMilli(1700000000123).UTC(),
		Body:  []byte(`{"resourceType":"Organization","id":"a","x":4.50}`),
		Index: store.Index{Tokens: []store.TokenValue{{Param: "identifier", System: "s", Code: "1"}}}}
	for round := range 3 {
		s, err := sqlite.Open(ctx, sqlite.Options{Path: path})
		if err != nil {
			t.Fatalf("open %d: %v", round, err)
		}
		if round == 0 {
			if _, err := s.Put(ctx, w); err != nil {
				t.Fatal(err)
			}
		}
		v, err := s.Read(ctx, "Organization", "a")
		if err != nil || string(v.Body) != string(w.Body) || !v.LastUpdated.Equal(w.LastUpdated) {
			t.Errorf("round %d: Read = %+v, %v", round, v, err)
		}
		res, err := s.Search(ctx, store.Query{Type: "Organization", Count: 10, Where: []store.Clause{{Any: []store.Cond{
			{Param: "identifier", Kind: store.KindToken, System: "s", Code: "1"}}}}})
		if err != nil || len(res.Matches) != 1 {
			t.Errorf("round %d: search after reopen: %+v, %v", round, res, err)
		}
		if err := s.Close(ctx); err != nil {
			t.Fatal(err)
		}
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n, version int
	if err := db.QueryRow("SELECT count(*), max(version) FROM schema_version").Scan(&n, &version); err != nil {
		t.Fatal(err)
	}
	if n != 1 || version != sqlite.SchemaVersion {
		t.Errorf("schema_version holds %d rows, version %d; want 1 row, version %d", n, version, sqlite.SchemaVersion)
	}
	if _, err := db.Exec("UPDATE schema_version SET version = 99"); err != nil {
		t.Fatal(err)
	}
	if s, err := sqlite.Open(ctx, sqlite.Options{Path: path}); err == nil {
		_ = s.Close(ctx)
		t.Error("Open accepted a database from a newer program")
	}
}

func TestOpenRejectsBadOptions(t *testing.T) {
	for _, path := range []string{"", filepath.Join(t.TempDir(), "a?b.db")} {
		if s, err := sqlite.Open(context.Background(), sqlite.Options{Path: path}); err == nil {
			_ = s.Close(context.Background())
			t.Errorf("Open(%q) succeeded", path)
		}
	}
}

func TestDiskUsage(t *testing.T) {
	ctx := context.Background()
	s := sqlite.OpenTemp(t)
	var ws []store.Write
	for i := range 200 {
		ws = append(ws, benchWrite(i, 1))
	}
	if _, err := s.PutMany(ctx, ws); err != nil {
		t.Fatal(err)
	}
	u, err := s.DiskUsage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if u.Versions <= 0 || u.History <= 0 || u.Current <= 0 || u.Search <= 0 ||
		u.Total < u.Versions+u.History+u.Current+u.Search {
		t.Errorf("usage %+v", u)
	}
}

func TestPutAfterCloseFails(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(t.TempDir(), "ror.db")})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, benchWrite(1, 1)); err == nil {
		t.Error("Put after Close succeeded")
	}
	if _, err := s.Read(ctx, "Organization", "x"); err == nil {
		t.Error("Read after Close succeeded")
	}
}

// A Close whose context has ended while writers are busy returns at once; the write connection is
// closed by the write holding it, without a crash, and every later write fails.
func TestCloseWithEndedContextDuringWrites(t *testing.T) {
	for round := range 10 {
		ctx := context.Background()
		s, err := sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(t.TempDir(), "ror.db")})
		if err != nil {
			t.Fatal(err)
		}
		started := make(chan struct{}, 4)
		failed := make(chan error, 4)
		for w := range 4 {
			go func() {
				for i := 0; ; i++ {
					if _, err := s.Put(ctx, benchWrite(w*1_000_000+i, 1)); err != nil {
						failed <- err
						return
					}
					if i == 0 {
						started <- struct{}{}
					}
				}
			}()
		}
		for range 4 {
			<-started // every writer has committed once and is writing again
		}
		ended, cancel := context.WithCancel(ctx)
		cancel()
		_ = s.Close(ended) // either path: the lock was free, or the writers held it
		for range 4 {
			if err := <-failed; !strings.Contains(err.Error(), "closed") {
				t.Fatalf("round %d: a write failed with %v, want the store closed", round, err)
			}
		}
		if _, err := s.Read(ctx, "Organization", "x"); err == nil {
			t.Fatalf("round %d: Read after Close succeeded", round)
		}
	}
}

// One Store per database: a second Open (another ror process, or this one) is refused until the
// first closes, because each Store keeps in-memory state about its database.
func TestOpenIsExclusive(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ror.db")
	s, err := sqlite.Open(ctx, sqlite.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.Open(ctx, sqlite.Options{Path: path}); !errors.Is(err, sqlite.ErrInUse) {
		t.Fatalf("second Open: err = %v, want ErrInUse", err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	s2, err := sqlite.Open(ctx, sqlite.Options{Path: path})
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	if err := s2.Close(ctx); err != nil {
		t.Fatal(err)
	}
}
