//go:build !mongodb

package integration

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/rorfhir/ror/store"
	"github.com/rorfhir/ror/store/sqlite"
)

// openStore opens a fresh SQLite store for one test, closed when it ends. Build with -tags mongodb
// to run the same scenarios on MongoDB (store_mongo_test.go).
func openStore(t testing.TB) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), sqlite.Options{Path: filepath.Join(t.TempDir(), "ror.db")})
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { _ = st.Close(context.Background()) })
	return st
}
