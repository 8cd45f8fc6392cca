package finess

import (
	"path/filepath"
	"testing"

	"github.com/rorfhir/ror/internal/shareddir"
)

// sharedDir locates the shared reference folder: $ROR_SHARED, or ../shared next to the repository
// root (the folder holding go.mod). A missing folder fails the test: these checks must not be
// skipped silently.
func sharedDir(t testing.TB) string {
	t.Helper()
	return shareddir.Require(t, "finess")
}

// nationalFile is the national FINESS extraction of the shared folder.
func nationalFile(t testing.TB) string {
	t.Helper()
	return filepath.Join(sharedDir(t), "finess", "etalab-cs1100507-stock-20210108-0427.csv")
}
