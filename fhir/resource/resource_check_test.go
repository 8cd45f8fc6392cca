package resource

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/internal/shareddir"
)

// exampleFiles lists the IG example resources under ../shared (all types; callers filter).
func exampleFiles(t testing.TB) []string {
	return globShared(t, "ror-ig/examples", "examples/sas_ig_package_examples")
}

func globShared(t testing.TB, dirs ...string) []string {
	t.Helper()
	var files []string
	for _, dir := range dirs {
		dir = filepath.Join("../../../shared", dir)
		m, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skip("no examples under ../shared")
	}
	return files
}

func TestCheckStructureExamples(t *testing.T) {
	n := 0
	for _, f := range exampleFiles(t) {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		info, err := Parse(body)
		if err != nil {
			t.Errorf("%s: Parse: %v", f, err)
			continue
		}
		if !IsSupported(info.Type) {
			continue
		}
		n++
		warns, err := CheckStructure(info.Type, body)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), issuesText(err))
		}
		for _, w := range warns {
			t.Logf("%s: warning %s %v", filepath.Base(f), w.Diagnostics, w.Expression)
		}
	}
	if n < 20 {
		t.Errorf("only %d examples of the supported types checked", n)
	}
}

// TestParseAnnuaireSamples: the Annuaire Santé samples in ../shared are truncated files or
// Bundle entries without resourceType; each must be rejected with a precise 400, never accepted.
func TestParseAnnuaireSamples(t *testing.T) {
	for _, f := range globShared(t, "examples/annuaire_sante_samples") {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Parse(body)
		if e, ok := fherr.As(err); !ok || e.Kind != fherr.KindInvalid {
			t.Errorf("%s: Parse = %v, want KindInvalid", filepath.Base(f), err)
		}
	}
}

func issuesText(err error) string {
	e, ok := fherr.As(err)
	if !ok {
		return err.Error()
	}
	var b strings.Builder
	for _, is := range e.Issues {
		b.WriteString("\n  " + is.Severity + " " + is.Code + " " + strings.Join(is.Expression, ",") + ": " + is.Diagnostics)
	}
	return b.String()
}

func TestCheckStructureBroken(t *testing.T) {
	tests := []struct {
		name, typ, body string
		want            []string // "expression: diagnostics fragment" of every error issue, in any order
		warn            []string // expressions of the warnings
	}{
		{name: "type mismatch", typ: "Location", body: `{"resourceType":"Organization"}`, want: []string{"resourceType: but \"Location\" was expected"}},
		{name: "not JSON", typ: "Organization", body: `{"resourceType":"Organization",}`, want: []string{": not valid JSON"}},
		{name: "bad id", typ: "Organization", body: `{"resourceType":"Organization","id":"a b"}`, want: []string{"Organization.id: not a valid FHIR id"}},
		{name: "boolean as string", typ: "Organization", body: `{"resourceType":"Organization","active":"true"}`, want: []string{"Organization.active: expected boolean"}},
		{name: "decimal as string", typ: "Location", body: `{"resourceType":"Location","position":{"longitude":"2.3","latitude":48.8}}`, want: []string{"Location.position.longitude: expected decimal"}},
		{name: "bad date", typ: "Practitioner", body: `{"resourceType":"Practitioner","birthDate":"2020-13-01"}`, want: []string{"Practitioner.birthDate: expected date"}},
		{name: "bad instant", typ: "Organization", body: `{"resourceType":"Organization","meta":{"lastUpdated":"2020"}}`, want: []string{"Organization.meta.lastUpdated: expected instant"}},
		{name: "missing required", typ: "Task", body: `{"resourceType":"Task"}`, want: []string{"Task.status: missing required", "Task.intent: missing required"}},
		{name: "bad code of required binding", typ: "Task", body: `{"resourceType":"Task","status":"nope","intent":"order"}`, want: []string{"Task.status: "}},
		{name: "single where array expected", typ: "Organization", body: `{"resourceType":"Organization","alias":"x"}`, want: []string{"Organization.alias: "}},
		{name: "array where single expected", typ: "Organization", body: `{"resourceType":"Organization","name":["x"]}`, want: []string{"Organization.name: "}},
		{name: "wrong reference target", typ: "PractitionerRole", body: `{"resourceType":"PractitionerRole","organization":{"reference":"Patient/1"}}`, want: []string{"PractitionerRole.organization: want Organization"}},
		{name: "unknown contained type", typ: "HealthcareService", body: `{"resourceType":"HealthcareService","contained":[{"resourceType":"Foo"}]}`, want: []string{"HealthcareService.contained[0]: unknown resource type"}},
		{name: "several errors and an unknown element", typ: "Organization", body: `{"resourceType":"Organization","zz":1,"active":1,"telecom":[{"system":"fax2"}]}`,
			want: []string{"Organization.active: expected boolean", "Organization.telecom[0].system: "}, warn: []string{"Organization.zz"}},
		{name: "null paired with a primitive extension", typ: "Organization",
			body: `{"resourceType":"Organization","alias":["a","b",null],"_alias":[{"extension":[{"url":"http://x","valueString":"y"}]},null,{"id":"e"}]}`},
		{name: "null alone", typ: "Organization", body: `{"resourceType":"Organization","alias":["a",null]}`, want: []string{"Organization.alias[1]: expected string"}},
		{name: "null member", typ: "Organization", body: `{"resourceType":"Organization","name":null}`, want: []string{"Organization.name: expected string"}},
		{name: "unknown elements are warnings only", typ: "Organization",
			body: `{"resourceType":"Organization","foo":1,"contact":[{"bar":2}],"contained":[{"resourceType":"Location","id":"l","baz":{"x":1}}],"extension":[{"url":"http://a","valueString":"x","qux":true}],"_name":{"extension":[{"url":"http://b","valueString":"y"}]},"name":"n"}`,
			warn: []string{"Organization.foo", "Organization.contact[0].bar", "Organization.contained[0].baz", "Organization.extension[0].qux"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			warns, err := CheckStructure(tc.typ, []byte(tc.body))
			var gotWarn []string
			for _, w := range warns {
				if w.Severity != "warning" || len(w.Expression) != 1 {
					t.Errorf("bad warning %+v", w)
					continue
				}
				gotWarn = append(gotWarn, w.Expression[0])
			}
			if !sameSet(gotWarn, tc.warn) {
				t.Errorf("warnings %q, want %q", gotWarn, tc.warn)
			}
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %s", issuesText(err))
				}
				return
			}
			e, ok := fherr.As(err)
			if !ok || e.Kind != fherr.KindInvalid {
				t.Fatalf("want a KindInvalid *fherr.Error, got %v", err)
			}
			if len(e.Issues) != len(tc.want) {
				t.Fatalf("issues: %s\nwant %q", issuesText(err), tc.want)
			}
			for _, w := range tc.want {
				expr, frag, _ := strings.Cut(w, ": ")
				found := false
				for _, is := range e.Issues {
					if strings.Join(is.Expression, ",") == expr && strings.Contains(is.Diagnostics, frag) && is.Severity == "error" {
						found = true
					}
				}
				if !found {
					t.Errorf("no issue %q in %s", w, issuesText(err))
				}
			}
		})
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

// BenchmarkCheckStructure compares, on the same bodies, CheckStructure (walk: the fast walk,
// jsonformat only for the bodies it cannot vouch for) with the previous implementation (google:
// jsonformat for every body): a typical ROR Organization, the ROR IG examples and a FINESS
// Organization and Location.
func BenchmarkCheckStructure(b *testing.B) {
	shared := shareddir.Require(b, "ror-ig")
	bodies := []struct{ name, file string }{
		{"Organization-typical", "testdata/organization-typical.json"},
		{"HealthcareService-ror-ig", filepath.Join(shared, "ror-ig/examples/HealthcareService-1234564.json")},
		{"Location-ror-ig", filepath.Join(shared, "ror-ig/examples/Location-ror-location-exemple.json")},
	}
	type bench struct {
		name string
		body []byte
	}
	var cases []bench
	for _, f := range bodies {
		body, err := os.ReadFile(f.file)
		if err != nil {
			b.Fatal(err)
		}
		cases = append(cases, bench{f.name, body})
	}
	finess := filepath.Join(shareddir.Require(b, "finess"), "finess", "fhir", "etab0-10000.tar.gz")
	for line := range ndjsonLines(b, finess) {
		info, err := Parse(line)
		if err != nil {
			b.Fatal(err)
		}
		cases = append(cases, bench{info.Type + "-finess", line})
		if len(cases) == len(bodies)+2 {
			break
		}
	}
	for _, c := range cases {
		info, err := Parse(c.body)
		if err != nil {
			b.Fatal(err)
		}
		for _, impl := range []struct {
			name  string
			check func(string, []byte) ([]fherr.Issue, error)
		}{{"google", checkGoogle}, {"walk", CheckStructure}} {
			b.Run(c.name+"/"+impl.name, func(b *testing.B) {
				if _, err := impl.check(info.Type, c.body); err != nil {
					b.Fatal(issuesText(err))
				}
				b.SetBytes(int64(len(c.body)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := impl.check(info.Type, c.body); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
