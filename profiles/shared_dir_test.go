package profiles

import "testing"

func TestSharedDir(t *testing.T) {
	if _, err := SharedDir(); err != nil {
		t.Fatalf("reference data: %v", err)
	}
	t.Setenv("ROR_SHARED", t.TempDir())
	if _, err := SharedDir(); err == nil {
		t.Error("ROR_SHARED without ror-ig/: want an error")
	}
}
