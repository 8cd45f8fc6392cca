package sqlite_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/rorfhir/ror/store"
	"github.com/rorfhir/ror/store/sqlite"
)

// benchRows is the size of the benchmark dataset.
const benchRows = 100_000

// benchWrite builds a realistic Organization write (about 1.2 KB of JSON, 14 index values).
func benchWrite(i int, vid int64) store.Write {
	id := fmt.Sprintf("org-%07d", i)
	finess := fmt.Sprintf("%09d", 100000000+i)
	region := strconv.Itoa(i % 18)
	name := fmt.Sprintf("Centre hospitalier numéro %d de la ville %d", i, i%5000)
	lu := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second)
	body := fmt.Sprintf(`{"resourceType":"Organization","id":%q,"meta":{"versionId":"%d","lastUpdated":%q,`+
		`"profile":["https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/ror-organization"],`+
		`"tag":[{"system":"https://mos.esante.gouv.fr/NOS/TRE_R30-RegionOM/FHIR/TRE-R30-RegionOM","code":%q}]},`+
		`"extension":[{"url":"https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/ror-metadata-creation-date","valueDate":"2020-01-01"}],`+
		`"identifier":[{"system":"urn:oid:1.2.250.1.71.4.2.2","value":%q},{"system":"urn:oid:1.2.250.1.71.4.2.1","value":"1%s"}],`+
		`"active":true,"type":[{"coding":[{"system":"https://mos.esante.gouv.fr/NOS/TRE_R66-CategorieEtablissement/FHIR/TRE-R66-CategorieEtablissement","code":"355"}]}],`+
		`"name":%q,"telecom":[{"system":"phone","value":"01 23 45 67 89"}],`+
		`"address":[{"line":["12 rue de la République"],"postalCode":"75%03d","city":"Paris","country":"FR"}],`+
		`"partOf":{"reference":"Organization/org-%07d"}}`,
		id, vid, lu.Format(time.RFC3339Nano), region, finess, finess, name, i%1000, i/10)
	return store.Write{Type: "Organization", ID: id, VersionID: vid, LastUpdated: lu, Body: []byte(body),
		Index: store.Index{
			Tokens: []store.TokenValue{
				{Param: "identifier", System: "urn:oid:1.2.250.1.71.4.2.2", Code: finess},
				{Param: "identifier", System: "urn:oid:1.2.250.1.71.4.2.1", Code: "1" + finess},
				{Param: "_tag", System: "https://mos.esante.gouv.fr/NOS/TRE_R30-RegionOM/FHIR/TRE-R30-RegionOM", Code: region},
				{Param: "active", Code: "true"},
				{Param: "type", System: "https://mos.esante.gouv.fr/NOS/TRE_R66-CategorieEtablissement/FHIR/TRE-R66-CategorieEtablissement", Code: "355"},
				{Param: "_id", Code: id},
			},
			Strings: []store.StringValue{
				{Param: "name", Norm: fmt.Sprintf("centre hospitalier numero %d de la ville %d", i, i%5000), Exact: name},
				{Param: "address-city", Norm: "paris", Exact: "Paris"},
				{Param: "address-postalcode", Norm: fmt.Sprintf("75%03d", i%1000), Exact: fmt.Sprintf("75%03d", i%1000)},
			},
			Dates:      []store.DateValue{{Param: "_lastUpdated", Lo: lu.UnixMilli(), Hi: lu.UnixMilli()}},
			References: []store.ReferenceValue{{Param: "partof", Type: "Organization", ID: fmt.Sprintf("org-%07d", i/10)}},
			URIs:       []store.URIValue{{Param: "_profile", URI: "https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/ror-organization"}},
			Sorts: []store.SortValue{{Param: "_lastUpdated", Key: lu.Format("20060102150405.000")},
				{Param: "name", Key: fmt.Sprintf("centre hospitalier numero %d", i)}},
		}}
}

// loadBench opens a store in dir holding n resources, written in batches of 1000.
func loadBench(b *testing.B, n int) (*sqlite.Store, string, time.Duration) {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "ror.db")
	s, err := sqlite.Open(ctx, sqlite.Options{Path: path})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close(ctx) })
	start := time.Now()
	for lo := 0; lo < n; lo += 1000 {
		ws := make([]store.Write, 0, 1000)
		for i := lo; i < min(lo+1000, n); i++ {
			ws = append(ws, benchWrite(i, 1))
		}
		if _, err := s.PutMany(ctx, ws); err != nil {
			b.Fatal(err)
		}
	}
	return s, path, time.Since(start)
}

// BenchmarkPutMany: one op is a PutMany of 1000 new resources.
func BenchmarkPutMany(b *testing.B) {
	ctx := context.Background()
	s, _, took := loadBench(b, benchRows)
	u, err := s.DiskUsage(ctx)
	if err != nil {
		b.Fatal(err)
	}
	next := benchRows
	for b.Loop() {
		ws := make([]store.Write, 1000)
		for j := range ws {
			ws[j] = benchWrite(next, 1)
			next++
		}
		if _, err := s.PutMany(ctx, ws); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/1000, "ns/write")
	b.ReportMetric(float64(benchRows)/took.Seconds(), "load-writes/s")
	b.ReportMetric(float64(len(benchWrite(1, 1).Body)), "json-B/res")
	b.ReportMetric(float64(u.Total)/benchRows, "db-B/res")
	b.ReportMetric(float64(u.Versions)/benchRows, "versions-B/res")
	b.ReportMetric(float64(u.Search)/benchRows, "search-index-B/res")
}

func BenchmarkRead(b *testing.B) {
	ctx := context.Background()
	s, _, _ := loadBench(b, benchRows)
	rng := rand.New(rand.NewPCG(1, 2))
	for b.Loop() {
		if _, err := s.Read(ctx, "Organization", fmt.Sprintf("org-%07d", rng.IntN(benchRows))); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadParallel(b *testing.B) {
	ctx := context.Background()
	s, _, _ := loadBench(b, benchRows)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		rng := rand.New(rand.NewPCG(rand.Uint64(), 2))
		for pb.Next() {
			if _, err := s.Read(ctx, "Organization", fmt.Sprintf("org-%07d", rng.IntN(benchRows))); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkPut(b *testing.B) {
	ctx := context.Background()
	s, _, _ := loadBench(b, benchRows)
	next := benchRows
	for b.Loop() {
		if _, err := s.Put(ctx, benchWrite(next, 1)); err != nil {
			b.Fatal(err)
		}
		next++
	}
}

func BenchmarkPutParallel(b *testing.B) {
	ctx := context.Background()
	s, _, _ := loadBench(b, benchRows)
	var next atomic.Int64
	next.Store(benchRows)
	b.ResetTimer()
	b.SetParallelism(4)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Put(ctx, benchWrite(int(next.Add(1)), 1)); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkUpdate(b *testing.B) {
	ctx := context.Background()
	s, _, _ := loadBench(b, benchRows)
	vid := int64(1)
	for b.Loop() {
		vid++
		if _, err := s.Put(ctx, benchWrite(7, vid)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPutParallelIDs: creates by 8 goroutines whose ids the server assigns, random (128
// random bits) or time-ordered (UUID version 7: ids assigned one after the other sort together),
// on a store of benchRows resources. One op is one Put.
func BenchmarkPutParallelIDs(b *testing.B) {
	for _, kind := range []string{"random", "time-ordered"} {
		b.Run(kind, func(b *testing.B) {
			ctx := context.Background()
			s, _, _ := loadBench(b, benchRows)
			newID := func() string {
				if kind == "random" {
					u := uuid.New()
					return hex.EncodeToString(u[:])
				}
				u := uuid.Must(uuid.NewV7())
				return hex.EncodeToString(u[:])
			}
			var next atomic.Int64
			next.Store(benchRows)
			b.ResetTimer()
			b.SetParallelism(4)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					w := benchWrite(int(next.Add(1)), 1)
					w.ID = newID()
					if _, err := s.Put(ctx, w); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
