package conformance

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// installedNode finds Node and installs the pinned validators once per test binary.
var installedNode = sync.OnceValues(func() (*Node, error) {
	n, err := FindNode("node")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := n.Install(ctx); err != nil {
		return nil, err
	}
	return n, nil
})

func testNode(t *testing.T) *Node {
	t.Helper()
	n, err := installedNode()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func validate(t *testing.T, dir string) *Report {
	t.Helper()
	r, err := testNode(t).Validate(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// requireNoFindings fails the test with one line per validator error.
func requireNoFindings(t *testing.T, r *Report) {
	t.Helper()
	for _, f := range r.Errors {
		t.Errorf("%s", f)
	}
}

func TestValidatorsAcceptSampleAnswers(t *testing.T) {
	r := validate(t, filepath.Join("testdata", "answers"))
	if r.Files != 4 || r.Resources != 6 {
		t.Errorf("validated %d files, %d resources; want 4 files, 6 resources", r.Files, r.Resources)
	}
	requireNoFindings(t, r)
	for _, v := range []string{"medplum", "schema"} {
		if r.Validators[v].Version == "" {
			t.Errorf("validator %s has no version in the report: %+v", v, r.Validators)
		}
	}
	if r.Validators["schema"].PatchedEnums == 0 {
		t.Errorf("the 4.0.1 FHIRVersion patch of the R4 schema changed nothing")
	}
}

// TestValidatorsFlagInvalidAnswers proves the validators are really at work: each invalid sample
// must be reported by the expected validator at the expected path.
func TestValidatorsFlagInvalidAnswers(t *testing.T) {
	r := validate(t, filepath.Join("testdata", "invalid"))
	want := []struct{ file, validator, path, message string }{
		{"unknown-element.json", "medplum", "Organization.nme", "additional property"},
		{"unknown-element.json", "schema", "Organization", "nme"},
		{"bad-instant.json", "medplum", "Location.meta.lastUpdated", "instant"},
		{"bad-instant.json", "schema", "Location.meta.lastUpdated", "pattern"},
		{"bundle-entry-bad-id.json", "schema", "Bundle.entry[0].resource/Organization.id", "pattern"},
		{"outcome-no-code.json", "medplum", "OperationOutcome.issue[0].code", "Missing required"},
		{"wrong-type.json", "medplum", "HealthcareService.active", "boolean"},
		{"wrong-type.json", "schema", "HealthcareService.name", "string"},
		{"bundle-bad-type.json", "schema", "Bundle.type", "allowed values"},
	}
	for _, w := range want {
		found := false
		for _, f := range r.Errors {
			if f.File == w.file && f.Validator == w.validator && f.Path == w.path && strings.Contains(f.Message, w.message) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no %s error at %s mentioning %q; got:\n%s", w.file, w.validator, w.path, w.message, r.Summary)
		}
	}
}

// stamp sets what a server sets on a stored resource.
func stamp(r Resource, version int) Resource {
	meta, _ := r["meta"].(Resource)
	if meta == nil {
		meta = Resource{}
	}
	meta["versionId"] = strconv.Itoa(version)
	meta["lastUpdated"] = "2026-01-15T10:00:00.000Z"
	r["meta"] = meta
	return r
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
