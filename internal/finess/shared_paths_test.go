package finess

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedDir locates the shared reference folder: $ROR_SHARED, or ../shared next to the repository
// root (the folder holding go.mod). A missing folder fails the test: these checks must not be
// skipped silently.
func sharedDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("ROR_SHARED"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("repository root (go.mod) not found above the test directory")
		}
		dir = parent
	}
	shared := filepath.Join(filepath.Dir(dir), "shared")
	if _, err := os.Stat(filepath.Join(shared, "finess")); err != nil {
		t.Fatalf("shared reference data not found at %s (set ROR_SHARED to its location): %v", shared, err)
	}
	return shared
}

// nationalFile is the national FINESS extraction of the shared folder.
func nationalFile(t testing.TB) string {
	t.Helper()
	return filepath.Join(sharedDir(t), "finess", "etalab-cs1100507-stock-20210108-0427.csv")
}
