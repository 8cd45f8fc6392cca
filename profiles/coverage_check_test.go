package profiles

import (
	"path/filepath"
	"testing"
)

// TestCoverage is the coverage gate: every constraint fact of the IG differentials in
// ../shared/ror-ig must be represented in our definitions (documented IG defects aside).
func TestCoverage(t *testing.T) {
	defs, err := LoadDefinitions()
	if err != nil {
		t.Fatal(err)
	}
	r, err := CheckCoverage(defs, filepath.Join(sharedDir(t), "ror-ig"))
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + r.String())
	if r.Artifacts != 52 {
		t.Errorf("compared %d StructureDefinitions, want 52 (5 profiles + 47 extensions)", r.Artifacts)
	}
	if !r.OK() {
		t.Errorf("coverage incomplete:\n%s", r)
	}
	if r.MustSupportOK != r.MustSupport {
		t.Errorf("mustSupport %d/%d", r.MustSupportOK, r.MustSupport)
	}
}

func TestCheckSharedCoverage(t *testing.T) {
	r, err := CheckSharedCoverage()
	if err != nil || !r.OK() {
		t.Fatalf("%v %v", err, r)
	}
	if _, err := CheckCoverage(&Definitions{}, t.TempDir()); err == nil {
		t.Error("empty IG folder: want an error")
	}
	// A definition that drops a constraint is reported.
	defs, _ := LoadDefinitions()
	defs.Profiles[0].Elements = defs.Profiles[0].Elements[1:]
	r, err = CheckCoverage(defs, filepath.Join(sharedDir(t), "ror-ig"))
	if err != nil || r.OK() || len(r.Items) < 2 {
		t.Fatalf("dropped element not reported: %v %v", err, r)
	}
}
