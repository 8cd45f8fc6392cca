package mongo

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rorfhir/ror/store"
	"github.com/rorfhir/ror/store/mongo/mongotest"
)

// server starts (or finds) one MongoDB for a top-level test.
func server(t *testing.T) string {
	t.Helper()
	return mongotest.URI(t)
}

// openStore opens a store on a fresh database of uri, closed when t ends.
func openStore(t *testing.T, uri string) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, Options{URI: uri, Database: mongotest.Database(t, uri)})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

var t0 = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

func write(typ, id string, vid int64, lu time.Time, ix store.Index) store.Write {
	return store.Write{Type: typ, ID: id, VersionID: vid, LastUpdated: lu,
		Body: fmt.Appendf(nil, `{"resourceType":%q,"id":%q,"meta":{"versionId":"%d"}}`, typ, id, vid), Index: ix}
}

func mustPut(t *testing.T, s store.Store, w store.Write) store.Version {
	t.Helper()
	v, err := s.Put(context.Background(), w)
	if err != nil {
		t.Fatalf("put %s/%s v%d: %v", w.Type, w.ID, w.VersionID, err)
	}
	return v
}
