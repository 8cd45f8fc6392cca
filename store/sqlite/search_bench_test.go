package sqlite_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rorfhir/ror/store"
)

func BenchmarkSearchToken(b *testing.B) {
	ctx := context.Background()
	s, _, _ := loadBench(b, benchRows)
	cases := []struct {
		name string
		q    func(r *rand.Rand) store.Query
	}{
		{"identifier (1 match)", func(r *rand.Rand) store.Query {
			return store.Query{Type: "Organization", Count: 200, Where: []store.Clause{{Any: []store.Cond{{Param: "identifier",
				Kind: store.KindToken, System: "urn:oid:1.2.250.1.71.4.2.2", Code: fmt.Sprintf("%09d", 100000000+r.IntN(benchRows))}}}}}
		}},
		{"region tag (5.5k matches, first page of 200)", func(r *rand.Rand) store.Query {
			return store.Query{Type: "Organization", Count: 200, Where: []store.Clause{{Any: []store.Cond{{Param: "_tag",
				Kind: store.KindToken, AnySystem: true, Code: fmt.Sprint(r.IntN(18))}}}}}
		}},
		{"region tag with total", func(r *rand.Rand) store.Query {
			return store.Query{Type: "Organization", Count: 200, Total: true, Where: []store.Clause{{Any: []store.Cond{{Param: "_tag",
				Kind: store.KindToken, AnySystem: true, Code: fmt.Sprint(r.IntN(18))}}}}}
		}},
		{"name prefix", func(r *rand.Rand) store.Query {
			return store.Query{Type: "Organization", Count: 200, Where: []store.Clause{{Any: []store.Cond{{Param: "name",
				Kind: store.KindString, Op: store.OpPrefix, Value: fmt.Sprintf("centre hospitalier numero %d", r.IntN(benchRows/100))}}}}}
		}},
		{"delta _lastUpdated >= T (half of them, first page of 200)", func(r *rand.Rand) store.Query {
			t := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(benchRows / 2 * time.Second).UnixMilli()
			return store.Query{Type: "Organization", Count: 200, Where: []store.Clause{{Any: []store.Cond{{Param: "_lastUpdated",
				Kind: store.KindDate, Op: store.OpRange, Bounds: []store.Bound{{Field: store.FieldHi, Cmp: store.CmpGE, Value: float64(t)}}}}}}}
		}},
		{"all, sorted by -_lastUpdated", func(r *rand.Rand) store.Query {
			return store.Query{Type: "Organization", Count: 200, Sort: []store.SortKey{{Param: "_lastUpdated", Desc: true}}}
		}},
		{"chain partof.identifier", func(r *rand.Rand) store.Query {
			target := store.Query{Type: "Organization", Where: []store.Clause{{Any: []store.Cond{{Param: "identifier",
				Kind: store.KindToken, AnySystem: true, Code: fmt.Sprintf("%09d", 100000000+r.IntN(benchRows/10))}}}}}
			return store.Query{Type: "Organization", Count: 200, Where: []store.Clause{{Any: []store.Cond{{Param: "partof",
				Kind: store.KindReference, Target: &target}}}}}
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			for b.Loop() {
				if _, err := s.Search(ctx, c.q(rng)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
