package conformance

import (
	"path/filepath"
	"testing"

	"github.com/rorfhir/ror/profiles"
)

// TestProfileCoverage checks the project's profile definitions against the IG files in
// ../shared/ror-ig: every element constraint, extension URL, value type and binding of the IG must
// be represented, but for the IG's own documented defects. The report is logged (go test -v).
func TestProfileCoverage(t *testing.T) {
	shared, err := SharedDir()
	if err != nil {
		t.Fatal(err)
	}
	defs, err := profiles.LoadDefinitions()
	if err != nil {
		t.Fatal(err)
	}
	r, err := profiles.CheckCoverage(defs, filepath.Join(shared, "ror-ig"))
	if err != nil {
		t.Fatal(err)
	}
	t.Log(r.String())
	if r.Artifacts != 52 {
		t.Errorf("%d IG StructureDefinitions compared, want 52 (5 profiles and 47 extensions)", r.Artifacts)
	}
	if !r.OK() {
		t.Errorf("%d of %d IG constraint facts are not represented by profiles/defs", r.Facts-r.Covered-r.Exceptions, r.Facts)
	}
}
