package profiles

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// exampleDefects are the issues the published IG examples really have against the IG's own
// profiles (documented in defs/README.md); anything else is a validator bug.
var exampleDefects = map[string][]string{
	// The example describes no care mode (J19): characteristic:careMode is 1..1 in ror-healthcareservice.
	"HealthcareService-1234564.json": {"HealthcareService.characteristic:careMode"},
}

// TestExamplesAccepted: the IG examples (and the other shared examples, which claim no ROR
// profile: base checks only) are accepted unchanged, but for their documented defects.
func TestExamplesAccepted(t *testing.T) {
	dir := sharedDir(t)
	var files []string
	for _, pat := range []string{"ror-ig/examples/*.json", "examples/*/*.json"} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		files = append(files, m...)
	}
	if len(files) < 3 {
		t.Fatalf("examples not found under %s", dir)
	}
	v := newTestValidator(t, Options{})
	ctx := context.Background()
	for _, f := range files {
		b := readFile(t, f)
		var probe map[string]any
		if json.Unmarshal(b, &probe) != nil {
			t.Logf("%s: not a JSON resource (annuaire samples are excerpts), skipped", f)
			continue
		}
		errs := errorsOf(v.Validate(ctx, resourceType(t, b), b))
		want := exampleDefects[filepath.Base(f)]
		if len(errs) != len(want) {
			t.Errorf("%s: want %d documented defects, got %+v", f, len(want), errs)
			continue
		}
		for i, is := range errs {
			if !strings.Contains(is.Diagnostics, want[i]) {
				t.Errorf("%s: unexpected %+v", f, is)
			}
		}
	}
	if testing.Verbose() {
		t.Logf("%d examples checked", len(files))
	}
}
