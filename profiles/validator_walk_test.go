package profiles

import (
	"context"
	"encoding/json"
	"testing"
)

// TestPrimitiveExtensions: extensions of a primitive ("_line") are validated and located as
// line[i].extension[j].
func TestPrimitiveExtensions(t *testing.T) {
	v := newTestValidator(t, Options{})
	var m map[string]any
	if err := json.Unmarshal(readFile(t, "testdata/valid/Location.json"), &m); err != nil {
		t.Fatal(err)
	}
	line := m["address"].(map[string]any)["_line"].([]any)[0].(map[string]any)
	line["extension"].([]any)[1].(map[string]any)["valueString"] = "NOT-A-STREET-TYPE"
	errs := errorsOf(v.ValidateResource(context.Background(), "Location", m))
	if len(errs) != 1 || errs[0].Code != "code-invalid" || errs[0].Expression[0] != "Location.address.line[0].extension[1].value.ofType(string)" {
		t.Fatalf("got %+v", errs)
	}
}

// TestIssuesAreComplete: every issue carries severity, code, words and an expression.
func TestIssuesAreComplete(t *testing.T) {
	v := newTestValidator(t, Options{StrictTerminology: true})
	b := readFile(t, "testdata/invalid/missing-sub-extension.json")
	for _, is := range v.Validate(context.Background(), "Location", b) {
		if is.Severity == "" || is.Code == "" || is.Diagnostics == "" || len(is.Expression) != 1 {
			t.Errorf("incomplete issue %+v", is)
		}
	}
}
