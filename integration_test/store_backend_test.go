package integration

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rorfhir/ror/store"
	"github.com/rorfhir/ror/store/mongo"
	"github.com/rorfhir/ror/store/mongo/mongotest"
	"github.com/rorfhir/ror/store/sqlite"
)

// EnvBackend selects the store of the scenario tests: "sqlite" (default) or "mongodb" (the server
// named by MONGODB_URI, else a testcontainers replica set, else an embedded FerretDB; see
// store/mongo/mongotest). The same scenarios must pass on both.
const EnvBackend = "ROR_IT_BACKEND"

// openStore opens a fresh store for one test, closed when it ends.
func openStore(t testing.TB) store.Store {
	t.Helper()
	ctx := context.Background()
	var st store.Store
	switch b := os.Getenv(EnvBackend); b {
	case "", "sqlite":
		s, err := sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(t.TempDir(), "ror.db")})
		if err != nil {
			t.Fatalf("open sqlite: %v", err)
		}
		st = s
	case "mongodb":
		uri := mongotest.URI(t)
		s, err := mongo.Open(ctx, mongo.Options{URI: uri, Database: mongotest.Database(t, uri)})
		if err != nil {
			t.Fatalf("open mongodb: %v", err)
		}
		st = s
	default:
		t.Fatalf("%s=%q: want sqlite or mongodb", EnvBackend, b)
	}
	t.Cleanup(func() { _ = st.Close(context.Background()) })
	return st
}
