package profiles

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rorfhir/ror/fhir/fherr"
)

func resourceType(t testing.TB, b []byte) string {
	t.Helper()
	var h struct{ ResourceType string }
	if err := json.Unmarshal(b, &h); err != nil {
		t.Fatal(err)
	}
	return h.ResourceType
}

func errorsOf(issues []fherr.Issue) []fherr.Issue {
	var out []fherr.Issue
	for _, is := range issues {
		if is.Severity == "error" || is.Severity == "fatal" {
			out = append(out, is)
		}
	}
	return out
}

// TestValidBases: the hand-written conformant resource of each profiled type has no error.
func TestValidBases(t *testing.T) {
	v := newTestValidator(t, Options{RequireProfiles: true})
	files, _ := filepath.Glob("testdata/valid/*.json")
	if len(files) != 5 {
		t.Fatalf("want 5 valid bases, found %d", len(files))
	}
	for _, f := range files {
		b := readFile(t, f)
		if errs := errorsOf(v.Validate(context.Background(), resourceType(t, b), b)); len(errs) > 0 {
			t.Errorf("%s: unexpected errors: %+v", f, errs)
		}
	}
}

// invalidExpectations reads testdata/invalid_expected.json: per file of testdata/invalid, the
// issue code and expression it must give (shared with the HTTP test of internal/app).
func invalidExpectations(t *testing.T) map[string]struct{ Code, Expression string } {
	t.Helper()
	var cases map[string]struct{ Code, Expression string }
	if err := json.Unmarshal(readFile(t, "testdata/invalid_expected.json"), &cases); err != nil {
		t.Fatal(err)
	}
	return cases
}

// TestInvalidCorpus: each file of testdata/invalid breaks one kind of constraint and must give
// the expected issue (code and expression), among its errors.
func TestInvalidCorpus(t *testing.T) {
	cases := invalidExpectations(t)
	files, _ := filepath.Glob("testdata/invalid/*.json")
	if len(files) != len(cases) {
		t.Errorf("corpus has %d files, table %d cases", len(files), len(cases))
	}
	v := newTestValidator(t, Options{})
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		want, ok := cases[name]
		if !ok {
			t.Errorf("%s: no expectation", name)
			continue
		}
		b := readFile(t, f)
		errs := errorsOf(v.Validate(context.Background(), resourceType(t, b), b))
		found := false
		for _, is := range errs {
			if is.Code == want.Code && len(is.Expression) == 1 && is.Expression[0] == want.Expression {
				found = true
				if is.Diagnostics == "" {
					t.Errorf("%s: empty diagnostics", name)
				}
			}
		}
		if !found {
			t.Errorf("%s: want %s at %s, got %+v", name, want.Code, want.Expression, errs)
		}
	}
}

func TestStrictTerminology(t *testing.T) {
	b := readFile(t, "testdata/valid/Location.json")
	lax := newTestValidator(t, Options{})
	issues := lax.Validate(context.Background(), "Location", b)
	if len(errorsOf(issues)) != 0 || len(issues) != 1 || issues[0].Severity != "information" {
		t.Fatalf("lax: want one information issue (J124 not checked), got %+v", issues)
	}
	strict := newTestValidator(t, Options{StrictTerminology: true})
	errs := errorsOf(strict.Validate(context.Background(), "Location", b))
	if len(errs) != 1 || errs[0].Code != "not-supported" || errs[0].Expression[0] != "Location.extension[0].value.ofType(CodeableConcept)" {
		t.Fatalf("strict: got %+v", errs)
	}
}

func TestNoTerminology(t *testing.T) {
	defs, err := LoadDefinitions()
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewValidator(defs, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := readFile(t, "testdata/valid/HealthcareService.json")
	if errs := errorsOf(v.Validate(context.Background(), "HealthcareService", b)); len(errs) != 0 {
		t.Fatalf("without terminology bindings are informational, got %+v", errs)
	}
}

func TestRequireProfiles(t *testing.T) {
	b := readFile(t, "testdata/invalid/missing-required-element.json")
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	delete(m, "meta")
	b, _ = json.Marshal(m)
	ctx := context.Background()
	if errs := errorsOf(newTestValidator(t, Options{}).Validate(ctx, "HealthcareService", b)); len(errs) != 0 {
		t.Fatalf("no declared profile, not required: want base checks only, got %+v", errs)
	}
	if errs := errorsOf(newTestValidator(t, Options{RequireProfiles: true}).Validate(ctx, "HealthcareService", b)); len(errs) == 0 {
		t.Fatal("RequireProfiles: want the ROR profile applied")
	}
	// Task has no ROR profile here: base checks only.
	if errs := errorsOf(newTestValidator(t, Options{RequireProfiles: true}).Validate(ctx, "Task", []byte(`{"resourceType":"Task","status":"requested","intent":"order"}`))); len(errs) != 0 {
		t.Fatalf("Task: %+v", errs)
	}
	// explicit profile parameter ($validate?profile=)
	body := readFile(t, "testdata/valid/Practitioner.json")
	if errs := errorsOf(newTestValidator(t, Options{}).Validate(ctx, "Practitioner", body, Canonical+"/StructureDefinition/ror-practitioner|0.7.0")); len(errs) != 0 {
		t.Fatalf("explicit profile: %+v", errs)
	}
}

func TestCheckAdapter(t *testing.T) {
	v := newTestValidator(t, Options{RequireProfiles: true})
	ctx := context.Background()
	var m map[string]any
	_ = json.Unmarshal(readFile(t, "testdata/valid/Organization.json"), &m)
	delete(m["meta"].(map[string]any), "lastUpdated") // set by the server on write
	b, _ := json.Marshal(m)
	issues, err := v.Check(ctx, "Organization", nil, b)
	if err != nil || len(errorsOf(issues)) != 0 {
		t.Fatalf("check: %v %+v", err, issues)
	}
	if errs := errorsOf(v.Validate(ctx, "Organization", b)); len(errs) != 1 || errs[0].Expression[0] != "Organization.meta.lastUpdated" {
		t.Fatalf("$validate requires meta.lastUpdated: %+v", errs)
	}
	if issues, err := v.Check(ctx, "Organization", nil, nil); err != nil || len(issues) != 0 {
		t.Fatalf("delete: %v %+v", err, issues)
	}
	if _, err := v.Check(ctx, "Organization", nil, []byte("{")); err == nil {
		t.Fatal("bad JSON: want an error")
	}
}

func TestMalformedBody(t *testing.T) {
	v := newTestValidator(t, Options{})
	for _, body := range []string{`[]`, `{"resourceType":"Location"}`} {
		if errs := errorsOf(v.Validate(context.Background(), "Organization", []byte(body))); len(errs) == 0 {
			t.Errorf("%s: want an error", body)
		}
	}
}
