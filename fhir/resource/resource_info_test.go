package resource

import (
	"reflect"
	"strings"
	"testing"

	"github.com/rorfhir/ror/fhir/fherr"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		body string
		want Info
		// on error: the expression and a fragment of the diagnostics
		expr, diag string
	}{
		{name: "minimal", body: `{"resourceType":"Organization"}`, want: Info{Type: "Organization"}},
		{name: "full meta", body: `{"resourceType":"Location","id":"a-1.B","meta":{"versionId":"3","lastUpdated":"2024-01-02T03:04:05.006Z","profile":["http://p/1","http://p/2"],"tag":[{"system":"s","code":"c","display":"d"}],"security":[{"code":"R"}],"source":"x","extension":[{"url":"u","valueString":"v"}]}}`,
			want: Info{Type: "Location", ID: "a-1.B", VersionID: "3", LastUpdated: "2024-01-02T03:04:05.006Z", Profiles: []string{"http://p/1", "http://p/2"}, Tags: []Coding{{"s", "c", "d"}}, Security: []Coding{{Code: "R"}}}},
		{name: "whitespace and escapes", body: " \n{ \"resourceType\" : \"Org\\u0061nization\" , \"id\":\"x\" }\n ", want: Info{Type: "Organization", ID: "x"}},
		{name: "empty tag list", body: `{"resourceType":"Task","meta":{"tag":[]}}`, want: Info{Type: "Task", Tags: []Coding{}}},

		{name: "empty body", body: ``, diag: "empty"},
		{name: "not JSON", body: `resourceType=Organization`, diag: "not valid JSON"},
		{name: "truncated", body: `{"resourceType":"Organization"`, diag: "not valid JSON"},
		{name: "trailing data", body: `{"resourceType":"Organization"} {}`, diag: "not valid JSON"},
		{name: "array", body: `[{"resourceType":"Organization"}]`, diag: "must be a JSON object"},
		{name: "no resourceType", body: `{"id":"x"}`, expr: "resourceType", diag: "no resourceType"},
		{name: "empty resourceType", body: `{"resourceType":""}`, expr: "resourceType", diag: "non-empty string"},
		{name: "numeric resourceType", body: `{"resourceType":1}`, expr: "resourceType", diag: "got a number"},
		{name: "duplicate member", body: `{"resourceType":"Organization","id":"a","id":"b"}`, expr: "id", diag: "more than once"},
		{name: "id number", body: `{"resourceType":"Organization","id":12}`, expr: "Organization.id", diag: "must be a string"},
		{name: "id bad char", body: `{"resourceType":"Organization","id":"a/b"}`, expr: "Organization.id", diag: "not a valid FHIR id"},
		{name: "id empty", body: `{"resourceType":"Organization","id":""}`, expr: "Organization.id", diag: "not a valid FHIR id"},
		{name: "id too long", body: `{"resourceType":"Organization","id":"` + strings.Repeat("a", 65) + `"}`, expr: "Organization.id", diag: "not a valid FHIR id"},
		{name: "meta not object", body: `{"resourceType":"Organization","meta":[]}`, expr: "Organization.meta", diag: "must be an object"},
		{name: "versionId number", body: `{"resourceType":"Organization","meta":{"versionId":1}}`, expr: "Organization.meta.versionId", diag: "must be a string"},
		{name: "profile string", body: `{"resourceType":"Organization","meta":{"profile":"http://p"}}`, expr: "Organization.meta.profile", diag: "must be an array"},
		{name: "profile item", body: `{"resourceType":"Organization","meta":{"profile":["a",2]}}`, expr: "Organization.meta.profile[1]", diag: "must be a string"},
		{name: "tag item", body: `{"resourceType":"Organization","meta":{"tag":["x"]}}`, expr: "Organization.meta.tag[0]", diag: "Coding object"},
		{name: "tag code", body: `{"resourceType":"Organization","meta":{"tag":[{"code":true}]}}`, expr: "Organization.meta.tag[0].code", diag: "must be a string"},
		{name: "security", body: `{"resourceType":"Organization","meta":{"security":{}}}`, expr: "Organization.meta.security", diag: "must be an array"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse([]byte(tc.body))
			if tc.diag == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if !reflect.DeepEqual(got, tc.want) {
					t.Fatalf("Parse = %+v, want %+v", got, tc.want)
				}
				return
			}
			assertInvalid(t, err, tc.expr, tc.diag)
		})
	}
}

// assertInvalid checks err is a KindInvalid *fherr.Error whose first issue has expression expr
// ("" = none) and diagnostics containing diag.
func assertInvalid(t *testing.T, err error, expr, diag string) {
	t.Helper()
	e, ok := fherr.As(err)
	if !ok {
		t.Fatalf("error %v is not an *fherr.Error", err)
	}
	if e.Kind != fherr.KindInvalid || len(e.Issues) == 0 {
		t.Fatalf("error %+v: want KindInvalid with issues", e)
	}
	is := e.Issues[0]
	if !strings.Contains(is.Diagnostics, diag) {
		t.Errorf("diagnostics %q do not contain %q", is.Diagnostics, diag)
	}
	gotExpr := strings.Join(is.Expression, ",")
	if gotExpr != expr {
		t.Errorf("expression %q, want %q", gotExpr, expr)
	}
}

func TestValidID(t *testing.T) {
	for id, want := range map[string]bool{"a": true, "A-b.9": true, strings.Repeat("x", 64): true, "": false, strings.Repeat("x", 65): false, "a_b": false, "é": false, "a b": false} {
		if ValidID(id) != want {
			t.Errorf("ValidID(%q) = %v", id, !want)
		}
	}
}

func TestSupportedTypes(t *testing.T) {
	got := SupportedTypes()
	got[0] = "Mutated"
	if SupportedTypes()[0] != "Organization" || !IsSupported("Task") || IsSupported("Patient") {
		t.Fatalf("SupportedTypes/IsSupported wrong: %v", SupportedTypes())
	}
}
