package search

import (
	"strings"
	"testing"

	"github.com/rorfhir/ror/fhir/resource"
)

func TestDefaultRegistry(t *testing.T) {
	reg := Default()
	for _, typ := range resource.SupportedTypes() {
		for _, code := range []string{"_id", "_lastUpdated", "_tag", "_profile", "_security", "identifier"} {
			p, ok := reg.Lookup(typ, code)
			if !ok {
				t.Errorf("%s has no %s", typ, code)
				continue
			}
			if p.URL == "" || !strings.HasPrefix(p.URL, "http://hl7.org/fhir/SearchParameter/") || p.Description == "" {
				t.Errorf("%s.%s: URL %q description %q", typ, code, p.URL, p.Description)
			}
		}
		ps := reg.Params(typ)
		for i := 1; i < len(ps); i++ {
			if ps[i-1].Code >= ps[i].Code {
				t.Errorf("Params(%s) not sorted", typ)
			}
		}
		for _, c := range reg.byType[typ] {
			if c.fp != nil {
				t.Errorf("%s.%s (%s) falls back to the FHIRPath engine", typ, c.Code, c.Expression)
			}
			if c.Type == TypeReference && len(c.paths) == 0 {
				t.Errorf("%s.%s has no path", typ, c.Code)
			}
		}
	}
	if p, _ := reg.Lookup("Location", "near"); p.Type != TypeSpecial {
		t.Errorf("near: %+v", p)
	}
	if _, ok := reg.Lookup("Organization", "near"); ok {
		t.Error("Organization has near")
	}
	if got := reg.Types(); len(got) != len(resource.SupportedTypes()) {
		t.Errorf("Types = %v", got)
	}
	if len(reg.All()) != len(R4BaseParams())+len(RORParams()) {
		t.Error("All() incomplete")
	}
}

func TestNewRegistryErrors(t *testing.T) {
	for name, ps := range map[string][]Param{
		"no code":      {{Type: TypeToken, Base: []string{"Organization"}}},
		"bad type":     {{Code: "x", Type: "tokenish", Base: []string{"Organization"}}},
		"bad FHIRPath": {{Code: "x", Type: TypeToken, Base: []string{"Organization"}, Expression: "Organization.name.where("}},
		"duplicate": {{Code: "x", Type: TypeToken, Base: []string{"Organization"}, URL: "a", Expression: "Organization.id"},
			{Code: "x", Type: TypeToken, Base: []string{"Organization"}, URL: "b", Expression: "Organization.id"}},
	} {
		if _, err := NewRegistry(ps...); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// A type-specific definition wins over a Resource one of the same code.
	reg, err := NewRegistry(
		Param{Code: "_id", Type: TypeToken, Base: []string{"Resource"}, Expression: "Resource.id", URL: "r"},
		Param{Code: "_id", Type: TypeToken, Base: []string{"Organization"}, Expression: "Organization.id", URL: "o"},
		Param{Code: "name", Type: TypeString, Base: []string{"Location"}, Expression: "Location.name", URL: "l"})
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := reg.Lookup("Organization", "_id"); p.URL != "o" {
		t.Errorf("Organization _id = %+v", p)
	}
	if p, _ := reg.Lookup("Location", "_id"); p.URL != "r" {
		t.Errorf("Location _id = %+v", p)
	}
}

func TestCompilePaths(t *testing.T) {
	tests := []struct {
		typ, expr string
		want      []path
		ok        bool
	}{
		{"Organization", "Organization.name | Organization.alias", []path{{{name: "name"}}, {{name: "alias"}}}, true},
		{"Location", "Organization.address | Location.address.city", []path{{{name: "address"}, {name: "city"}}}, true},
		{"Task", "(Task.for.where(resolve() is Patient))", []path{{{name: "for", resolveIs: "Patient"}}}, true},
		{"Practitioner", "Practitioner.telecom.where(system='email')", []path{{{name: "telecom", whereField: "system", whereValue: "email"}}}, true},
		{"Location", "(Location.extension.where(url='http://x|y').value as Quantity)", []path{{{name: "extension", whereField: "url", whereValue: "http://x|y"}, {name: "value", ofType: "Quantity"}}}, true},
		{"Location", "Location.value.ofType(Period)", []path{{{name: "value", ofType: "Period"}}}, true},
		{"Organization", "Resource.meta.tag", []path{{{name: "meta"}, {name: "tag"}}}, true},
		{"Organization", "Organization.name.first()", nil, false},
		{"Organization", "Organization.where(active = true)", nil, false},
		{"Organization", "Organization.telecom.where(system='a' and use='b')", nil, false},
		{"Organization", "Organization", nil, false},
	}
	for _, tc := range tests {
		got, ok := compilePaths(tc.typ, tc.expr)
		if ok != tc.ok || (ok && !equalPaths(got, tc.want)) {
			t.Errorf("compilePaths(%s, %q) = %+v, %v; want %+v, %v", tc.typ, tc.expr, got, ok, tc.want, tc.ok)
		}
	}
}

func equalPaths(a, b []path) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}
