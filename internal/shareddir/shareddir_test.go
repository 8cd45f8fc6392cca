package shareddir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindEnv(t *testing.T) {
	d := t.TempDir()
	if err := os.Mkdir(filepath.Join(d, "nos"), 0o750); err != nil {
		t.Fatal(err)
	}
	t.Setenv(Env, d)
	got, err := Find("nos")
	if err != nil || got != d {
		t.Fatalf("Find = %q, %v; want %q", got, err, d)
	}
	if _, err := Find("finess"); err == nil || !strings.Contains(err.Error(), "has no finess folder") {
		t.Fatalf("missing sub-folder: err = %v", err)
	}
}

func TestFindBesideRepository(t *testing.T) {
	t.Setenv(Env, "")
	d, err := Find("ror-ig")
	if err != nil {
		t.Fatalf("the reference data must be beside the repository (../shared): %v", err)
	}
	if filepath.Base(d) != "shared" {
		t.Errorf("Find = %q, want a folder named shared", d)
	}
}
