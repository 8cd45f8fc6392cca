package storetest

import "github.com/rorfhir/ror/store"

// anyOf is a KindOr condition: one of the alternatives (each a list of clauses) holds.
func anyOf(alts ...[]store.Clause) store.Cond {
	return store.Cond{Kind: store.KindOr, Or: alts}
}

// orCases: nested alternatives (KindOr), as _filter builds them.
func orCases() []searchCase {
	return []searchCase{
		{"or across parameters", orgs(and(anyOf(and(code("identifier", "100")), and(strOp("name", store.OpPrefix, "centre"))))),
			[]string{"org1", "org3"}, false},
		{"or of ands", orgs(and(anyOf(and(code("type", "A"), code("active", "true")), and(code("identifier", "200"))))),
			[]string{"org1", "org2"}, false},
		{"or AND another clause", orgs(append(and(anyOf(and(code("identifier", "100")), and(code("identifier", "200")))),
			and(code("active", "false"))...)), []string{"org2"}, false},
		{"or negated", orgs(and(not(anyOf(and(code("identifier", "100")), and(code("identifier", "200")))))),
			[]string{"org3", "org5"}, false},
		{"or nested in or", orgs(and(anyOf(and(anyOf(and(code("identifier", "100")))), and(anyOf(and(code("identifier", "300"))))))),
			[]string{"org1", "org3"}, false},
		{"or with a missing value", orgs(and(anyOf(and(missing("partof", store.KindReference, false)), and(code("identifier", "100"))))),
			[]string{"org1", "org2", "org3"}, false},
		{"or with a chain", locs(and(anyOf(and(chain("organization", orgs(and(code("identifier", "300"))))),
			and(strOp("address-city", store.OpEq, "paris"))))), []string{"loc1", "loc4", "loc5"}, true},
		{"or with _has", orgs(and(anyOf(and(has("Location", "organization", and(strOp("address-city", store.OpEq, "paris")))),
			and(code("identifier", "300"))))), []string{"org1", "org3"}, true},
		// An alternative of several clauses after a single one: (A) or (B and C), not ((A or B) and C).
		{"or of a condition and an and", orgs(and(anyOf(and(code("identifier", "100")),
			and(rng("beds", store.KindNumber, store.Bound{Field: store.FieldValue, Cmp: store.CmpGE, Value: 10}),
				strOp("name", store.OpPrefix, "c"))))), []string{"org1", "org2"}, false},
		{"or of a condition, an and, a condition", orgs(and(anyOf(and(code("identifier", "100")),
			and(rng("beds", store.KindNumber, store.Bound{Field: store.FieldValue, Cmp: store.CmpGE, Value: 10}),
				strOp("name", store.OpPrefix, "c")), and(code("identifier", "500"))))), []string{"org1", "org2", "org5"}, false},
		{"or with a negated missing value", orgs(and(anyOf(and(not(missing("active", store.KindToken, true)), code("type", "A")),
			and(not(missing("partof", store.KindReference, true)), code("identifier", "200"))))),
			[]string{"org1", "org2"}, false},
		{"or without alternatives", orgs(and(anyOf())), []string{}, false},
		{"or of an empty alternative", orgs(and(anyOf(nil))), []string{"org1", "org2", "org3", "org5"}, false},
	}
}
