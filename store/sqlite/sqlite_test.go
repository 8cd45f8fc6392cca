package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/rorfhir/ror/store"
	"github.com/rorfhir/ror/store/sqlite"
	"github.com/rorfhir/ror/store/storetest"
)

// openTemp opens a fresh store in a temporary directory, closed at the end of the test.
func openTemp(t testing.TB) *sqlite.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(t.TempDir(), "ror.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
}
