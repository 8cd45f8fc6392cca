package app

import (
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/rorfhir/ror/conformance"
	"github.com/rorfhir/ror/fhir/search"
	"github.com/rorfhir/ror/internal/config"
	"github.com/rorfhir/ror/internal/finess"
	"github.com/rorfhir/ror/internal/service"
	"github.com/rorfhir/ror/profiles"
	"github.com/rorfhir/ror/profiles/terminology"
)

// BenchmarkCreateValidation measures, in the same run and interleaved, the create throughput of
// two services on their own SQLite stores: one built by NewService as the server is (ROR profile
// validation with --require-profiles, the NOS terminology stored and checked), one without the
// profile check (the FINESS guard only). Both pay the base R4 check. Per resource type it
// reports plain-µs/op, validated-µs/op, their difference diff-µs/op (noisy: the SQLite commit
// dominates), check-µs/op (the ROR validation of one resource alone, by the same validator: its
// cost) and ratio (throughput validated / plain; the goal is >= 0.7).
//
//	go test ./internal/app -run '^$' -bench CreateValidation -benchtime 2000x
func BenchmarkCreateValidation(b *testing.B) {
	shared := sharedDir(b)
	ctx := context.Background()
	term, err := conformance.LoadTerminology(filepath.Join(shared, "nos", "fhir", "ValueSet"))
	if err != nil {
		b.Fatal(err)
	}
	byType := map[string][][]byte{}
	for _, r := range conformance.GenerateDataset(term, conformance.DatasetSize{EJ: 3, EGPerEJ: 3, LocationsPerEG: 2, ServicesPerEG: 3, Practitioners: 20}) {
		body, err := json.Marshal(r)
		if err != nil {
			b.Fatal(err)
		}
		typ := r["resourceType"].(string)
		byType[typ] = append(byType[typ], body)
	}
	cfg, err := config.Load([]string{"--data-dir", b.TempDir(), "--require-profiles=true"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	stV, _, err := OpenStore(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = stV.Close(ctx) })
	validated, err := NewService(stV, cfg)
	if err != nil {
		b.Fatal(err)
	}
	loadNOSInto(b, validated, shared)
	cfgP := cfg
	cfgP.DataDir = b.TempDir()
	stP, _, err := OpenStore(ctx, cfgP)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = stP.Close(ctx) })
	plain := service.New(stP, search.Default(), service.Options{Checks: []service.Check{finess.Guard{}}})
	// the same validator as the server's, alone: the cost of the ROR validation without the store's noise
	defs, err := profiles.LoadDefinitions()
	if err != nil {
		b.Fatal(err)
	}
	check, err := profiles.NewValidator(defs, terminology.NewCache(storeTerminology{st: stV}, terminology.CacheOptions{}),
		profiles.Options{RequireProfiles: true})
	if err != nil {
		b.Fatal(err)
	}

	for _, typ := range []string{"Organization", "Location", "HealthcareService", "Practitioner", "PractitionerRole"} {
		bodies := byType[typ]
		b.Run(typ, func(b *testing.B) {
			// warm up both (terminology cache, SQLite pages)
			for _, svc := range []*service.Service{plain, validated} {
				if _, err := svc.Create(ctx, typ, bodies[0], service.CreateOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			var tPlain, tVal, tCheck time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				body := bodies[i%len(bodies)]
				t0 := time.Now()
				if _, err := plain.Create(ctx, typ, body, service.CreateOptions{}); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := validated.Create(ctx, typ, body, service.CreateOptions{}); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				issues, err := check.Check(ctx, typ, nil, body)
				tCheck += time.Since(t2)
				tVal += t2.Sub(t1)
				tPlain += t1.Sub(t0)
				if err != nil || profiles.HasErrors(issues) {
					b.Fatalf("%s does not conform: %v %+v", typ, err, issues)
				}
			}
			n := float64(b.N)
			b.ReportMetric(float64(tPlain.Microseconds())/n, "plain-µs/op")
			b.ReportMetric(float64(tVal.Microseconds())/n, "validated-µs/op")
			b.ReportMetric(float64((tVal-tPlain).Microseconds())/n, "diff-µs/op")
			b.ReportMetric(float64(tCheck.Microseconds())/n, "check-µs/op")
			b.ReportMetric(float64(tPlain)/float64(tVal), "ratio")
		})
	}
}

// loadNOSInto stores the NOS value sets and code systems through the service (as ror load does).
func loadNOSInto(b *testing.B, svc *service.Service, shared string) {
	b.Helper()
	files, _ := filepath.Glob(filepath.Join(shared, "nos", "fhir", "*", "*.json"))
	var inputs []service.Input
	for _, f := range files {
		body := readTestFile(b, f)
		var h struct{ ResourceType, ID string }
		if err := json.Unmarshal(trimBOM(body), &h); err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, service.Input{Type: h.ResourceType, ID: h.ID, Body: trimBOM(body)})
	}
	res, err := svc.Upsert(context.Background(), inputs)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range res {
		if r.Err != nil {
			b.Fatal(r.Err)
		}
	}
}

func trimBOM(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return b[3:]
	}
	return b
}
