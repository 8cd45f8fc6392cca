package mongo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rorfhir/ror/store"
)

// The search of the store is checked against a model: the Go evaluation of the predicates
// (query_match.go) and a Go sort, over a generated dataset whose small value domains make values
// collide across parameters and resources. This catches filters that are not the superset (or
// the exact set) they claim to be, and paging mistakes.

type modelDoc struct {
	id string
	ix store.Index
}

func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

func genDocs(n int) []modelDoc {
	r := rand.New(rand.NewPCG(1, 2))
	var docs []modelDoc
	for i := range n {
		var ix store.Index
		for range r.IntN(3) {
			ix.Tokens = append(ix.Tokens, store.TokenValue{Param: pick(r, "code", "code", "other"),
				System: pick(r, "", "s1", "s2"), Code: pick(r, "a", "b", "c"), Text: pick(r, "", "alpha", "alpine", "beta")})
		}
		for range r.IntN(3) {
			norm := pick(r, "ab", "abc", "b", "ca", "x.y", "a+b")
			ix.Strings = append(ix.Strings, store.StringValue{Param: pick(r, "name", "alias"), Norm: norm, Exact: strings.ToUpper(norm)})
		}
		for range r.IntN(3) {
			lo := int64(r.IntN(10))
			hi := lo + int64(r.IntN(4))
			if r.IntN(5) == 0 {
				hi = math.MaxInt64
			}
			if r.IntN(7) == 0 {
				lo = math.MinInt64
			}
			ix.Dates = append(ix.Dates, store.DateValue{Param: pick(r, "d", "d", "e"), Lo: lo, Hi: hi})
		}
		for range r.IntN(3) {
			ix.Numbers = append(ix.Numbers, store.NumberValue{Param: pick(r, "n", "n", "m"), Value: pick(r, -1, 0, 1.5, 2, 3),
				System: pick(r, "", "u"), Code: pick(r, "", "kg", "g")})
		}
		for range r.IntN(3) {
			v := store.ReferenceValue{Param: pick(r, "r", "r", "q")}
			if r.IntN(4) == 0 {
				v.URL = pick(r, "http://a/1", "http://a/2")
			} else {
				v.Type, v.ID = pick(r, "Organization", "Location"), pick(r, "x", "y")
			}
			ix.References = append(ix.References, v)
		}
		for range r.IntN(2) {
			ix.URIs = append(ix.URIs, store.URIValue{Param: "u", URI: pick(r, "http://a", "http://a/b", "http://c", "http://a/é")})
		}
		for range r.IntN(2) {
			ix.Coords = append(ix.Coords, store.CoordValue{Param: "near", Lat: 48.85 + float64(r.IntN(40)-20)/100,
				Lon: 2.35 + float64(r.IntN(40)-20)/100})
		}
		for _, p := range []string{"s1", "s2", "s.3"} {
			if r.IntN(4) > 0 {
				ix.Sorts = append(ix.Sorts, store.SortValue{Param: p, Key: pick(r, "a", "b", "c", "ä")})
			}
		}
		docs = append(docs, modelDoc{id: fmt.Sprintf("r%02d", i), ix: ix})
	}
	return docs
}

func modelConds() []store.Cond {
	b := func(f store.BoundField, c store.CmpOp, v float64) store.Bound {
		return store.Bound{Field: f, Cmp: c, Value: v}
	}
	tok := func(sys, code string, anySys, anyCode bool) store.Cond {
		return store.Cond{Param: "code", Kind: store.KindToken, System: sys, Code: code, AnySystem: anySys, AnyCode: anyCode}
	}
	str := func(o store.Op, v string) store.Cond {
		return store.Cond{Param: "name", Kind: store.KindString, Op: o, Value: v}
	}
	date := func(bs ...store.Bound) store.Cond {
		return store.Cond{Param: "d", Kind: store.KindDate, Op: store.OpRange, Bounds: bs}
	}
	num := func(sys, code string, bs ...store.Bound) store.Cond {
		return store.Cond{Param: "n", Kind: store.KindNumber, Op: store.OpRange, Bounds: bs, UnitSystem: sys, UnitCode: code}
	}
	ref := func(typ, id, url string) store.Cond {
		return store.Cond{Param: "r", Kind: store.KindReference, Type: typ, ID: id, URL: url}
	}
	uri := func(o store.Op, v string) store.Cond {
		return store.Cond{Param: "u", Kind: store.KindURI, Op: o, Value: v}
	}
	one := func(c store.Cond) []store.Clause { return []store.Clause{{Any: []store.Cond{c}}} }
	or := func(alts ...[]store.Clause) store.Cond { return store.Cond{Kind: store.KindOr, Or: alts} }
	return []store.Cond{
		or(one(tok("s1", "a", false, false)), append(one(date(b(store.FieldLo, store.CmpGE, 5))), one(str(store.OpPrefix, "ab"))...)),
		or(one(or(one(ref("", "y", "")), one(num("", "", b(store.FieldValue, store.CmpGT, 0), b(store.FieldValue, store.CmpLT, 2))))),
			one(uri(store.OpBelow, "http://c"))),
		or(), or(nil, one(tok("", "b", false, false))),
		tok("s1", "a", false, false), tok("", "b", false, false), tok("", "c", true, false), tok("s2", "", false, true),
		tok("", "", true, true),
		{Param: "code", Kind: store.KindToken, Op: store.OpText, Value: "alp"},
		str(store.OpEq, "ab"), str(store.OpPrefix, "ab"), str(store.OpPrefix, "x."), str(store.OpExact, "ABC"),
		str(store.OpContains, "b"), str(store.OpContains, "+"), str(store.OpPrefix, ""),
		date(b(store.FieldLo, store.CmpGE, 5)), date(b(store.FieldHi, store.CmpLT, 4.5)),
		date(b(store.FieldLo, store.CmpLE, 3), b(store.FieldHi, store.CmpGE, 6)),
		date(b(store.FieldLo, store.CmpGT, 2), b(store.FieldHi, store.CmpLE, 5)),
		date(b(store.FieldHi, store.CmpGT, 1e19)), date(b(store.FieldLo, store.CmpLT, -1e19)),
		num("", "", b(store.FieldValue, store.CmpGE, 1.5)), num("", "", b(store.FieldValue, store.CmpGT, 0), b(store.FieldValue, store.CmpLT, 2)),
		num("", "kg", b(store.FieldValue, store.CmpLE, 2)), num("u", "g"),
		ref("Organization", "x", ""), ref("", "y", ""), ref("", "", "http://a/1"), ref("Location", "", ""), ref("", "", ""),
		uri(store.OpEq, "http://a"), uri(store.OpBelow, "http://a/"), uri(store.OpAbove, "http://a/b/c"), uri(store.OpAbove, "http://a/é/x"),
		{Param: "near", Kind: store.KindNear, Lat: 48.85, Lon: 2.35, Km: 12},
		{Param: "d", Kind: store.KindDate, Op: store.OpMissing, Missing: true},
		{Param: "r", Kind: store.KindReference, Op: store.OpMissing, Missing: false},
		{Param: "near", Kind: store.KindNear, Op: store.OpMissing, Missing: true},
	}
}

// modelOrder sorts ids as the contract says: keys (missing last either way), then id.
func modelOrder(docs []modelDoc, sort []store.SortKey) {
	keyOf := func(d modelDoc, p string) (string, bool) {
		if p == "_id" {
			return d.id, true
		}
		for _, s := range d.ix.Sorts {
			if s.Param == p {
				return s.Key, true
			}
		}
		return "", false
	}
	slices.SortFunc(docs, func(a, b modelDoc) int {
		for _, k := range sort {
			ka, oka := keyOf(a, k.Param)
			kb, okb := keyOf(b, k.Param)
			switch {
			case oka != okb && oka:
				return -1
			case oka != okb:
				return 1
			case ka != kb:
				c := strings.Compare(ka, kb)
				if k.Desc {
					c = -c
				}
				return c
			}
		}
		return strings.Compare(a.id, b.id)
	})
}

func TestSearchAgainstModel(t *testing.T) {
	checkAgainstModel(t, openStore(t, server(t)))
}

// checkAgainstModel loads the generated dataset into s and compares its searches with the model.
func checkAgainstModel(t *testing.T, s store.Store) {
	ctx := context.Background()
	docs := genDocs(30)
	for i, d := range docs {
		mustPut(t, s, write("Organization", d.id, 1, t0.Add(1e6*time.Duration(i)), d.ix))
	}
	var queries [][]store.Clause
	for _, c := range modelConds() {
		queries = append(queries, []store.Clause{{Any: []store.Cond{c}}})
		n := c
		n.Not = true
		queries = append(queries, []store.Clause{{Any: []store.Cond{n}}})
	}
	conds := modelConds()
	r := rand.New(rand.NewPCG(3, 4))
	for range 15 { // random AND of ORs
		var where []store.Clause
		for range 1 + r.IntN(2) {
			var cl store.Clause
			for range 1 + r.IntN(2) {
				c := conds[r.IntN(len(conds))]
				c.Not = r.IntN(4) == 0
				cl.Any = append(cl.Any, c)
			}
			where = append(where, cl)
		}
		queries = append(queries, where)
	}
	sorts := [][]store.SortKey{nil, {{Param: "s1"}}, {{Param: "s1", Desc: true}, {Param: "s.3"}},
		{{Param: "s2", Desc: true}, {Param: "_id", Desc: true}}}
	for qi, where := range queries {
		cl := modelClauses(where)
		var want []modelDoc
		for _, d := range docs {
			if matchWhere(d.id, &d.ix, cl) {
				want = append(want, d)
			}
		}
		sort := sorts[qi%len(sorts)]
		modelOrder(want, sort)
		var wantIDs []string
		for _, d := range want {
			wantIDs = append(wantIDs, d.id)
		}
		counts := []int{100}
		if qi%3 == 0 {
			counts = append(counts, 4) // paging checked on a third of the queries (FerretDB is slow)
		}
		for _, count := range counts {
			q := store.Query{Type: "Organization", Where: where, Sort: sort, Count: count, Total: true}
			var got []string
			for page := 0; ; page++ {
				res, err := s.Search(ctx, q)
				if err != nil {
					t.Fatalf("query %d %+v: %v", qi, where, err)
				}
				if q.Total && res.Total != len(want) {
					t.Errorf("query %d %s: Total %d, want %d", qi, describe(where), res.Total, len(want))
				}
				for _, m := range res.Matches {
					got = append(got, m.ID)
				}
				if res.Next == nil || page > 40 {
					break
				}
				q.After, q.Total = res.Next, false
			}
			if !slices.Equal(got, wantIDs) {
				t.Errorf("query %d %s sort %v count %d:\n got %v\nwant %v", qi, describe(where), sort, count, got, wantIDs)
			}
		}
	}
}

func describe(where []store.Clause) string {
	var cls []string
	for _, cl := range where {
		var cs []string
		for _, c := range cl.Any {
			cs = append(cs, fmt.Sprintf("%s/k%d/op%d/not=%v/%s|%s|%s|%v|%s/%s/%s", c.Param, c.Kind, c.Op, c.Not,
				c.System, c.Code, c.Value, c.Bounds, c.Type, c.ID, c.URL))
		}
		cls = append(cls, strings.Join(cs, " OR "))
	}
	return "(" + strings.Join(cls, ") AND (") + ")"
}

// modelClauses resolves nested alternatives (no chains in the model).
func modelClauses(where []store.Clause) []clause {
	out := make([]clause, len(where))
	for i, c := range where {
		out[i] = clause{}
		for _, x := range c.Any {
			rc := cond{Cond: x}
			for _, alt := range x.Or {
				rc.or = append(rc.or, modelClauses(alt))
			}
			out[i] = append(out[i], rc)
		}
	}
	return out
}
