package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/rorfhir/ror/store"
)

// Condition builders of the search tables.
func and(cs ...store.Cond) []store.Clause {
	out := make([]store.Clause, len(cs))
	for i, c := range cs {
		out[i] = store.Clause{Any: []store.Cond{c}}
	}
	return out
}

func or(cs ...store.Cond) []store.Clause { return []store.Clause{{Any: cs}} }

func code(p, c string) store.Cond {
	return store.Cond{Param: p, Kind: store.KindToken, Op: store.OpEq, Code: c, AnySystem: true}
}

func sysCode(p, sys, c string) store.Cond {
	return store.Cond{Param: p, Kind: store.KindToken, Op: store.OpEq, System: sys, Code: c}
}

func strOp(p string, op store.Op, v string) store.Cond {
	return store.Cond{Param: p, Kind: store.KindString, Op: op, Value: v}
}

func rng(p string, k store.Kind, bs ...store.Bound) store.Cond {
	return store.Cond{Param: p, Kind: k, Op: store.OpRange, Bounds: bs}
}

func missing(p string, k store.Kind, m bool) store.Cond {
	return store.Cond{Param: p, Kind: k, Op: store.OpMissing, Missing: m}
}

func not(c store.Cond) store.Cond { c.Not = true; return c }

// searchCase is one query over the fixture and the IDs it must return, in order.
type searchCase struct {
	name string
	q    store.Query
	want []string
	// mayBeUnsupported: the backend may answer ErrUnsupported (near, _has, chains) if it truly
	// cannot evaluate the query; the case is then skipped.
	mayBeUnsupported bool
}

func orgs(cl []store.Clause) store.Query { return store.Query{Type: "Organization", Where: cl} }

func tokenStringCases() []searchCase {
	return []searchCase{
		{"no condition: every live resource", orgs(nil), []string{"org1", "org2", "org3", "org5"}, false},
		{"token code alone", orgs(and(code("identifier", "100"))), []string{"org1"}, false},
		{"token code twice in one resource", orgs(and(code("identifier", "200"))), []string{"org2"}, false},
		{"token system|code", orgs(and(sysCode("identifier", sysSiret, "200"))), []string{"org2"}, false},
		{"token system|code, other system", orgs(and(sysCode("identifier", sysSiret, "100"))), []string{}, false},
		{"token unknown system", orgs(and(sysCode("identifier", "urn:nope", "100"))), []string{}, false},
		{"token |code", orgs(and(sysCode("identifier", "", "300"))), []string{"org3"}, false},
		{"token |code with a system stored", orgs(and(sysCode("identifier", "", "100"))), []string{}, false},
		{"token system|", orgs(and(store.Cond{Param: "identifier", Kind: store.KindToken, System: sysFiness, AnyCode: true})),
			[]string{"org1", "org2", "org5"}, false},
		{"token boolean", orgs(and(code("active", "true"))), []string{"org1"}, false},
		{"token :not", orgs(and(not(sysCode("identifier", sysFiness, "100")))), []string{"org2", "org3", "org5"}, false},
		{"token :not boolean", orgs(and(not(code("active", "true")))), []string{"org2", "org3", "org5"}, false},
		{"token :text prefix", orgs(and(store.Cond{Param: "type", Kind: store.KindToken, Op: store.OpText, Value: "hopital"})),
			[]string{"org1", "org3"}, false},
		{"token :text longer prefix", orgs(and(store.Cond{Param: "type", Kind: store.KindToken, Op: store.OpText, Value: "hopital d"})),
			[]string{"org3"}, false},
		{"token :text not a prefix", orgs(and(store.Cond{Param: "type", Kind: store.KindToken, Op: store.OpText, Value: "general"})),
			[]string{}, false},
		{"token old value after update", orgs(and(code("identifier", "500old"))), []string{}, false},
		{"token new value after update", orgs(and(code("identifier", "500"))), []string{"org5"}, false},
		{"string prefix with folded accents", orgs(and(strOp("name", store.OpPrefix, "bene"))), []string{"org1"}, false},
		{"string prefix is anchored", orgs(and(strOp("name", store.OpPrefix, "benoit"))), []string{}, false},
		{"string prefix of several", orgs(and(strOp("name", store.OpPrefix, "c"))), []string{"org2", "org3"}, false},
		{"string old value after update", orgs(and(strOp("name", store.OpPrefix, "old"))), []string{}, false},
		{"string eq", orgs(and(strOp("name", store.OpEq, "clinique du parc"))), []string{"org2"}, false},
		{"string eq is not prefix", orgs(and(strOp("name", store.OpEq, "clinique"))), []string{}, false},
		{"string exact", orgs(and(strOp("name", store.OpExact, "Centre Benoît"))), []string{"org3"}, false},
		{"string exact is case sensitive", orgs(and(strOp("name", store.OpExact, "centre benoît"))), []string{}, false},
		{"string contains", orgs(and(strOp("name", store.OpContains, "parc"))), []string{"org2"}, false},
		{"string contains in several", orgs(and(strOp("name", store.OpContains, "en"))), []string{"org1", "org3"}, false},
		{"OR inside a clause", orgs(or(code("identifier", "100"), strOp("name", store.OpPrefix, "clin"))),
			[]string{"org1", "org2"}, false},
		{"OR with a missing condition", orgs(or(code("identifier", "100"), missing("beds", store.KindNumber, true))),
			[]string{"org1", "org3"}, false},
		{"OR with a negated condition", orgs(or(code("identifier", "300"), not(code("active", "false")))),
			[]string{"org1", "org3", "org5"}, false},
		{"AND across clauses", orgs(and(code("type", "A"), store.Cond{Param: "identifier", Kind: store.KindToken, System: sysFiness, AnyCode: true})),
			[]string{"org1"}, false},
		{"AND of OR clauses", orgs(append(or(code("type", "A"), code("type", "B")), or(code("active", "false"), code("identifier", "300"))...)),
			[]string{"org2", "org3"}, false},
		{"unknown parameter", orgs(and(code("nope", "100"))), []string{}, false},
		{"other type", store.Query{Type: "Location", Where: and(code("identifier", "100"))}, []string{}, false},
	}
}

func valueCases() []searchCase {
	le := func(f store.BoundField, v float64) store.Bound {
		return store.Bound{Field: f, Cmp: store.CmpLE, Value: v}
	}
	ge := func(f store.BoundField, v float64) store.Bound {
		return store.Bound{Field: f, Cmp: store.CmpGE, Value: v}
	}
	lt := func(f store.BoundField, v float64) store.Bound {
		return store.Bound{Field: f, Cmp: store.CmpLT, Value: v}
	}
	gt := func(f store.BoundField, v float64) store.Bound {
		return store.Bound{Field: f, Cmp: store.CmpGT, Value: v}
	}
	y2021 := float64(ms(2021, 1, 1, 0, 0, 0, 0))
	mid2020 := float64(ms(2020, 6, 1, 0, 0, 0, 0))
	qty := func(sys, code string, bs ...store.Bound) store.Cond {
		c := rng("weight", store.KindNumber, bs...)
		c.UnitSystem, c.UnitCode = sys, code
		return c
	}
	return []searchCase{
		{"date lo >=", orgs(and(rng("founded", store.KindDate, ge(store.FieldLo, y2021)))), []string{"org2"}, false},
		{"date hi <", orgs(and(rng("founded", store.KindDate, lt(store.FieldHi, y2021)))), []string{"org1"}, false},
		{"date period contains an instant", orgs(and(rng("founded", store.KindDate, le(store.FieldLo, mid2020), ge(store.FieldHi, mid2020)))),
			[]string{"org1", "org3"}, false},
		{"date open end", orgs(and(rng("founded", store.KindDate, gt(store.FieldHi, float64(ms(2030, 1, 1, 0, 0, 0, 0)))))),
			[]string{"org3"}, false},
		{"date exact millisecond", orgs(and(rng("founded", store.KindDate, ge(store.FieldLo, float64(ms(2021, 6, 15, 12, 0, 0, 0))),
			le(store.FieldHi, float64(ms(2021, 6, 15, 12, 0, 0, 0)))))), []string{"org2"}, false},
		{"date open start", orgs(and(rng("closed", store.KindDate, lt(store.FieldLo, float64(ms(1900, 1, 1, 0, 0, 0, 0)))))),
			[]string{"org5"}, false},
		{"date open start, high end", orgs(and(rng("closed", store.KindDate, le(store.FieldLo, y2021), ge(store.FieldHi, float64(ms(2018, 5, 1, 12, 0, 0, 0)))))),
			[]string{"org5"}, false},
		{"date open start, after its end", orgs(and(rng("closed", store.KindDate, gt(store.FieldHi, float64(ms(2018, 5, 2, 0, 0, 0, 0)))))),
			[]string{}, false},
		{"date ne (Not)", orgs(and(not(rng("founded", store.KindDate, ge(store.FieldLo, y2021))))), []string{"org1", "org3", "org5"}, false},
		{"number >=", orgs(and(rng("beds", store.KindNumber, ge(store.FieldValue, 10)))), []string{"org2", "org5"}, false},
		{"number between", orgs(and(rng("beds", store.KindNumber, gt(store.FieldValue, 4), lt(store.FieldValue, 5)))), []string{"org1"}, false},
		{"number equal decimal", orgs(and(rng("beds", store.KindNumber, ge(store.FieldValue, 4.5), le(store.FieldValue, 4.5)))), []string{"org1"}, false},
		{"number old value after update", orgs(and(rng("beds", store.KindNumber, le(store.FieldValue, 1)))), []string{}, false},
		{"quantity without unit", orgs(and(qty("", "", ge(store.FieldValue, 10)))), []string{"org1", "org2"}, false},
		{"quantity with unit code", orgs(and(qty("", "kg", ge(store.FieldValue, 10)))), []string{"org1"}, false},
		{"quantity with system and code", orgs(and(qty(sysUCUM, "g", ge(store.FieldValue, 5000)))), []string{"org2"}, false},
		{"quantity wrong system", orgs(and(qty("urn:other", "g", ge(store.FieldValue, 5000)))), []string{}, false},
		{"uri eq", orgs(and(store.Cond{Param: "_profile", Kind: store.KindURI, Value: profROR})), []string{"org1"}, false},
		{"uri below", orgs(and(store.Cond{Param: "_profile", Kind: store.KindURI, Op: store.OpBelow, Value: "http://ror/StructureDefinition/"})),
			[]string{"org1", "org2"}, false},
		{"uri above", orgs(and(store.Cond{Param: "_profile", Kind: store.KindURI, Op: store.OpAbove, Value: profROR + "/extra"})),
			[]string{"org1"}, false},
		{"uri above both", orgs(and(store.Cond{Param: "_profile", Kind: store.KindURI, Op: store.OpAbove, Value: profROR + "-v2/x"})),
			[]string{"org1", "org2"}, false},
		{"missing token true", orgs(and(missing("active", store.KindToken, true))), []string{"org3", "org5"}, false},
		{"missing token false", orgs(and(missing("active", store.KindToken, false))), []string{"org1", "org2"}, false},
		{"missing reference true", orgs(and(missing("partof", store.KindReference, true))), []string{"org1", "org5"}, false},
		{"missing number true", orgs(and(missing("beds", store.KindNumber, true))), []string{"org3"}, false},
		{"missing date true", orgs(and(missing("founded", store.KindDate, true))), []string{"org5"}, false},
		{"missing string false", orgs(and(missing("name", store.KindString, false))), []string{"org1", "org2", "org3", "org5"}, false},
		{"missing uri true", orgs(and(missing("_profile", store.KindURI, true))), []string{"org3", "org5"}, false},
		{"missing coords true", store.Query{Type: "Location", Where: and(missing("near", store.KindNear, true))}, []string{"loc4", "loc5", "loc6"}, false},
		// Not inverts :missing as any other condition.
		{"missing true negated", orgs(and(not(missing("active", store.KindToken, true)))), []string{"org1", "org2"}, false},
		{"missing false negated", orgs(and(not(missing("active", store.KindToken, false)))), []string{"org3", "org5"}, false},
		{"missing negated in an OR", orgs(or(code("identifier", "300"), not(missing("partof", store.KindReference, false)))),
			[]string{"org1", "org3", "org5"}, false},
	}
}

// testSearch runs every search table over the fixture, with Total, and again with Count 0.
func testSearch(t *testing.T, s store.Store) {
	load(t, s, fixture())
	var cases []searchCase
	cases = append(cases, tokenStringCases()...)
	cases = append(cases, valueCases()...)
	cases = append(cases, linkCases()...)
	cases = append(cases, orCases()...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { runSearchCase(t, s, c) })
	}
	t.Run("ReadReferences", func(t *testing.T) { testReadReferences(t, s) }) // writes types the cases do not read
	t.Run("ReadCurrent", func(t *testing.T) { testReadCurrent(t, s) })
	t.Run("ReadsFollowWrites", func(t *testing.T) { testReadsFollowWrites(t, s) })
	t.Run("ReadCurrentUnderWrites", func(t *testing.T) { testReadCurrentUnderWrites(t, s) })
}

func runSearchCase(t *testing.T, s store.Store, c searchCase) {
	ctx := context.Background()
	q := c.q
	q.Count, q.Total = 100, true
	res, err := s.Search(ctx, q)
	if c.mayBeUnsupported && errors.Is(err, store.ErrUnsupported) {
		t.Skipf("unsupported by this backend: %v", err)
	}
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	if got := ids(res.Matches); !slices.Equal(got, c.want) {
		t.Errorf("got %v, want %v", got, c.want)
	}
	if res.Total != len(c.want) {
		t.Errorf("Total %d, want %d", res.Total, len(c.want))
	}
	if res.Next != nil {
		t.Errorf("Next %+v on the only page", res.Next)
	}
	for _, m := range res.Matches {
		if m.Type != c.q.Type || m.Deleted || m.Body == nil || m.VersionID < 1 || m.Seq < 1 {
			t.Errorf("match %s: type %q deleted %v body %q", key(m), m.Type, m.Deleted, m.Body)
		}
	}
	q.Count = 0
	res, err = s.Search(ctx, q)
	if err != nil {
		t.Fatalf("Search with Count 0: %v", err)
	}
	if len(res.Matches) != 0 || res.Next != nil || res.Total != len(c.want) {
		t.Errorf("Count 0: %d matches, Next %v, Total %d; want none, nil, %d", len(res.Matches), res.Next, res.Total, len(c.want))
	}
}
