package profiles

import (
	"context"
	"strings"
	"testing"
)

func TestRefType(t *testing.T) {
	cases := map[string]string{
		"Organization/1":                       "Organization",
		"https://x/fhir/Location/2/_history/3": "Location",
		"#contained":                           "",
		"urn:uuid:0f1d":                        "",
		"nonsense":                             "",
		"http://x/fhir/lowercase/1":            "",
		"https://apifhir.annuaire.sante.fr/HealthcareService/9": "HealthcareService",
	}
	for ref, want := range cases {
		if got := refType(ref); got != want {
			t.Errorf("%s: %q, want %q", ref, got, want)
		}
	}
}

func TestPrimitiveKinds(t *testing.T) {
	v := newTestValidator(t, Options{})
	cases := []struct {
		typ  string
		val  any
		errs int
	}{
		{"Integer", 3.0, 0}, {"Integer", 3.5, 1}, {"Integer", "3", 1}, {"PositiveInt", 0.0, 1}, {"UnsignedInt", 0.0, 0},
		{"Boolean", true, 0}, {"Boolean", "true", 1}, {"String", "", 1}, {"DateTime", "2025", 0},
		{"Decimal", 1.5, 0}, {"Decimal", "1.5", 1}, {"CodeableConcept", map[string]any{}, 0}, {"CodeableConcept", "x", 1},
	}
	for _, c := range cases {
		st := &state{ctx: context.Background(), v: v}
		st.checkPrimitiveKind(&item{v: c.val, typ: c.typ, loc: loc{name: "value", idx: -1}}, &elemRef{name: "x"})
		if len(st.issues) != c.errs {
			t.Errorf("%s %v: %+v", c.typ, c.val, st.issues)
		}
	}
}

// TestExtensibleBinding: a code outside an extensible value set is a warning, not an error.
func TestExtensibleBinding(t *testing.T) {
	v := newTestValidator(t, Options{})
	b := readFile(t, "testdata/valid/Practitioner.json")
	b = []byte(strings.Replace(string(b), `"MME"`, `"Dr"`, 1))
	issues := v.Validate(context.Background(), "Practitioner", b)
	if len(issues) != 1 || issues[0].Severity != "warning" || issues[0].Code != "code-invalid" ||
		issues[0].Expression[0] != "Practitioner.name[0].prefix[0]" {
		t.Fatalf("got %+v", issues)
	}
}
