package profiles

import (
	"context"
	"encoding/json"
	"testing"
)

// BenchmarkValidate measures full ROR validation (decode + profile walk + terminology) per
// resource type, on the conformant bases of testdata/valid.
func BenchmarkValidate(b *testing.B) {
	v := newTestValidator(b, Options{RequireProfiles: true})
	ctx := context.Background()
	for _, typ := range []string{"Organization", "HealthcareService", "Location", "Practitioner", "PractitionerRole"} {
		body := readFile(b, "testdata/valid/"+typ+".json")
		b.Run(typ, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if issues := v.Validate(ctx, typ, body); HasErrors(issues) {
					b.Fatal(issues)
				}
			}
		})
	}
}

// BenchmarkDecodeOnly is the floor: decoding the same bodies into map[string]any.
func BenchmarkDecodeOnly(b *testing.B) {
	for _, typ := range []string{"Organization", "HealthcareService", "Location", "Practitioner", "PractitionerRole"} {
		body := readFile(b, "testdata/valid/"+typ+".json")
		b.Run(typ, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				var m map[string]any
				if err := json.Unmarshal(body, &m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
