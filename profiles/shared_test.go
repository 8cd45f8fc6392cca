package profiles

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/rorfhir/ror/profiles/terminology"
)

// sharedDir locates the read-only reference data (../shared from the repository root, or
// $ROR_SHARED). The tests fail, not skip, when it is missing: they are the coverage gate.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir, err := SharedDir()
	if err != nil {
		t.Fatalf("reference data not found: %v (set ROR_SHARED to the folder holding ror-ig/ and nos/)", err)
	}
	return dir
}

var (
	nosOnce sync.Once
	nosTerm *terminology.Memory
	nosErr  error
)

// nos loads the NOS value sets once per test binary.
func nos(t testing.TB) *terminology.Memory {
	t.Helper()
	dir := sharedDir(t)
	nosOnce.Do(func() {
		nosTerm, nosErr = terminology.Load(context.Background(), terminology.DirSource{
			filepath.Join(dir, "nos", "fhir", "ValueSet"),
			filepath.Join(dir, "nos", "fhir", "CodeSystem"),
			filepath.Join(dir, "ror-ig", "terminology"),
		})
	})
	if nosErr != nil {
		t.Fatalf("load NOS: %v", nosErr)
	}
	return nosTerm
}

func newTestValidator(t testing.TB, opts Options) *Validator {
	t.Helper()
	defs, err := LoadDefinitions()
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewValidator(defs, nos(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
