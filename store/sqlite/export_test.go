package sqlite

import (
	"context"
	"path/filepath"
	"testing"
)

// OpenTemp opens a fresh store in a temporary directory, closed (and checked) at the end of the
// test.
func OpenTemp(t testing.TB) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, Options{Path: filepath.Join(t.TempDir(), "ror.db")})
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

// SchemaVersion is the schema version this program migrates to (for tests).
var SchemaVersion = len(migrations())
