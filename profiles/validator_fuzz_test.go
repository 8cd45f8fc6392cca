package profiles

import (
	"context"
	"path/filepath"
	"testing"
)

// FuzzValidate: any JSON body must give issues, never a panic.
func FuzzValidate(f *testing.F) {
	for _, pat := range []string{"testdata/valid/*.json", "testdata/invalid/*.json"} {
		files, _ := filepath.Glob(pat)
		for _, file := range files {
			f.Add(readFile(f, file))
		}
	}
	f.Add([]byte(`{"resourceType":"HealthcareService","meta":{"profile":[1,"x"]},"extension":[1,{"url":2},{"url":"https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/ror-healthcareservice-patient-type","extension":"x"}],"characteristic":{"coding":7}}`))
	v := newTestValidator(f, Options{RequireProfiles: true})
	types := []string{"Organization", "HealthcareService", "Location", "Practitioner", "PractitionerRole"}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, typ := range types {
			_ = v.Validate(context.Background(), typ, body)
		}
	})
}

// TestTypeConfusion replaces every value of the valid bases, one at a time, by values of every
// JSON kind: the validator must never panic.
func TestTypeConfusion(t *testing.T) {
	v := newTestValidator(t, Options{RequireProfiles: true})
	files, _ := filepath.Glob("testdata/valid/*.json")
	repl := []any{nil, "x", 1.5, true, []any{}, []any{"x", 2.0}, map[string]any{}, map[string]any{"url": 3.0}}
	for _, f := range files {
		b := readFile(t, f)
		typ := resourceType(t, b)
		var paths int
		var walk func(set func(any), cur any)
		var root map[string]any
		decodeInto(t, b, &root)
		walk = func(set func(any), cur any) {
			for _, r := range repl {
				set(r)
				_ = v.ValidateResource(context.Background(), typ, root)
				paths++
			}
			set(cur)
			switch c := cur.(type) {
			case map[string]any:
				for k, x := range c {
					if k == "resourceType" {
						continue
					}
					walk(func(n any) { c[k] = n }, x)
				}
			case []any:
				for i, x := range c {
					walk(func(n any) { c[i] = n }, x)
				}
			}
		}
		for k, x := range root {
			if k != "resourceType" {
				walk(func(n any) { root[k] = n }, x)
			}
		}
		if paths < 100 {
			t.Errorf("%s: only %d mutations", f, paths)
		}
	}
}
