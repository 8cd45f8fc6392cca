package sqlite

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rorfhir/ror/store"
)

// explain returns SQLite's plan of the page query of q (walking the type in id order when mode
// is modeWalk, see planWalk; read from the index as planPage decides otherwise).
func (s *Store) explain(ctx context.Context, q store.Query, mode pageMode) (string, error) {
	c := &compiler{ctx: ctx, q: s.read, d: s.dicts}
	base, drivers, err := c.rows("r", q.Type, q.Where)
	if err != nil {
		return "", err
	}
	src := source{where: base}
	switch {
	case mode == modeWalk:
		mode = modeAll
		src.where, err = c.walkRows("r", q.Type, q.Where)
	case mode == modeAll && len(drivers) > 0:
		src, _, err = s.planPage(ctx, s.read, c, q, drivers)
	case mode == modeKeyed && boundedKey(q, drivers) && len(drivers) > 0:
		src.where, err = c.walkRows("r", q.Type, q.Where)
	}
	if err != nil {
		return "", err
	}
	pq, err := pageSQL(ctx, s.read, c, q, src, mode, q.Count+1)
	if err != nil {
		return "", err
	}
	rows, err := s.read.QueryContext(ctx, "EXPLAIN QUERY PLAN "+pq.sql, pq.args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%d<%d %s\n", id, parent, detail)
	}
	return b.String(), rows.Err()
}

// TestPlans pins the query plans that keep searches fast on millions of rows: selective
// conditions drive from their index, sorted pages read the sort index in order.
func TestPlans(t *testing.T) {
	ctx := context.Background()
	s := OpenTemp(t)
	var ws []store.Write
	for i := range 300 {
		ws = append(ws, store.Write{Type: "Organization", ID: fmt.Sprint(i), VersionID: 1, Body: []byte("{}"), Index: store.Index{
			Tokens: []store.TokenValue{{Param: "identifier", System: "s", Code: fmt.Sprint(i)},
				{Param: "_tag", System: "a", Code: "x"}, {Param: "_tag", System: "b", Code: "x"}}, // two rows for code x
			Strings:    []store.StringValue{{Param: "name", Norm: fmt.Sprint("n", i%2), Exact: "N"}},
			Sorts:      []store.SortValue{{Param: "_lastUpdated", Key: fmt.Sprint(i)}},
			References: []store.ReferenceValue{{Param: "partof", Type: "Organization", ID: fmt.Sprint(i / 10)}},
		}})
	}
	if _, err := s.PutMany(ctx, ws); err != nil {
		t.Fatal(err)
	}
	tok := []store.Clause{{Any: []store.Cond{{Param: "identifier", Kind: store.KindToken, AnySystem: true, Code: "5"}}}}
	// With every page read the same way, a driver's duplicates would show as repeated ids.
	for _, where := range [][]store.Clause{
		{{Any: []store.Cond{{Param: "_tag", Kind: store.KindToken, AnySystem: true, Code: "x"}}}},
		{{Any: []store.Cond{{Param: "_tag", Kind: store.KindToken, AnySystem: true, Code: "x"}}}, {Any: []store.Cond{{Param: "name", Kind: store.KindString, Value: "n1"}}}},
	} {
		q := store.Query{Type: "Organization", Count: 7, Where: where}
		seen := map[string]bool{}
		for {
			res, err := s.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range res.Matches {
				if seen[m.ID] {
					t.Fatalf("%v: %s twice", where, m.ID)
				}
				seen[m.ID] = true
			}
			if res.Next == nil {
				break
			}
			q.After = res.Next
		}
		if want := 300 / len(where); len(seen) != want {
			t.Errorf("%v: %d matches, want %d", where, len(seen), want)
		}
	}
	target := store.Query{Type: "Organization", Where: tok}
	// innerSort is a full sort of the matches (the page query orders them in a co-routine, id 2,
	// before reading the bodies of the page: sorting the page itself is cheap).
	const innerSort = "<2 USE TEMP B-TREE FOR ORDER BY"
	cases := []struct {
		name      string
		q         store.Query
		mode      pageMode
		want, not []string
	}{
		{"token drives", store.Query{Type: "Organization", Count: 10, Where: tok}, modeAll,
			[]string{"ix_token_code (pid=? AND code=?)", "SEARCH r USING INTEGER PRIMARY KEY"}, []string{"resource_id", "SCAN r", "SCAN x"}},
		{"chain drives", store.Query{Type: "Organization", Count: 10, Where: []store.Clause{{Any: []store.Cond{
			{Param: "partof", Kind: store.KindReference, Target: &target}}}}}, modeAll,
			[]string{"ix_ref_ref (pid=? AND ref=? AND rtype=?)", "ix_token_code (pid=? AND code=?)"}, []string{"resource_id", "SCAN r", "SCAN x"}},
		{"sorted page reads the sort index", store.Query{Type: "Organization", Count: 10,
			Sort: []store.SortKey{{Param: "_lastUpdated", Desc: true}}}, modeKeyed,
			[]string{"SEARCH s0 USING COVERING INDEX ix_sort_key (pid=?)"}, []string{"SCAN r", "SCAN s0", innerSort}},
		{"next sorted page seeks", store.Query{Type: "Organization", Count: 10, Sort: []store.SortKey{{Param: "_lastUpdated"}},
			After: &store.Position{ID: "7", Keys: []*string{new("7")}}}, modeKeyed,
			[]string{"ix_sort_key (pid=? AND key>?)"}, []string{"SCAN r", "SCAN s0", innerSort}},
		{"a bounded sort key reads its index in range, testing each resource", store.Query{Type: "Organization", Count: 10,
			Where: []store.Clause{{Any: []store.Cond{{Param: "_lastUpdated", Kind: store.KindDate, Op: store.OpRange,
				Bounds: []store.Bound{{Field: store.FieldHi, Cmp: store.CmpGE, Value: 250}}}}}},
			Sort: []store.SortKey{{Param: "_lastUpdated", KeyMin: new("250")}}}, modeKeyed,
			[]string{"ix_sort_key (pid=? AND key>?)", "CORRELATED", "SEARCH x USING PRIMARY KEY (rid=? AND pid=?)"},
			[]string{"SCAN r", "SCAN s0", innerSort, "ix_date_hi", "LIST SUBQUERY"}},
		{"a walk reads the type in id order and tests each resource", store.Query{Type: "Organization", Count: 10, Where: tok}, modeWalk,
			[]string{"SEARCH r USING INDEX resource_id (type=?)", "CORRELATED", "SEARCH x USING PRIMARY KEY (rid=? AND pid=?)"},
			[]string{"SCAN r", "TEMP B-TREE", "ix_token_code", "LIST SUBQUERY"}},
		{"a walk tests a date range by the row's key, not by the (pid, hi) index (quadratic)", store.Query{Type: "Organization", Count: 10,
			Where: []store.Clause{{Any: []store.Cond{{Param: "_lastUpdated", Kind: store.KindDate, Op: store.OpRange,
				Bounds: []store.Bound{{Field: store.FieldHi, Cmp: store.CmpGE, Value: 1}}}}}}}, modeWalk,
			[]string{"CORRELATED", "SEARCH x USING PRIMARY KEY (rid=? AND pid=?)"},
			[]string{"ix_date_hi", "ix_date_lo", "TEMP B-TREE"}},
		{"a list of ids is one IN", store.Query{Type: "Organization", Count: 10, Where: []store.Clause{{Any: []store.Cond{
			{Param: "identifier", Kind: store.KindToken, AnySystem: true, Code: "5"},
			{Param: "identifier", Kind: store.KindToken, AnySystem: true, Code: "7"}}}}}, modeAll,
			[]string{"ix_token_code (pid=? AND code=?)"}, []string{"UNION ALL", "SCAN r", "SCAN x"}},
		{"two conditions: the fewer matches drive, joined; the other is checked by the row's key", store.Query{Type: "Organization", Count: 10,
			Where: []store.Clause{{Any: []store.Cond{{Param: "name", Kind: store.KindString, Value: "n1"}}}, tok[0]}}, modeAll,
			[]string{"ix_token_code (pid=? AND code=?)", "SEARCH r USING INTEGER PRIMARY KEY", "CORRELATED", "SEARCH x USING PRIMARY KEY (rid=? AND pid=?)"},
			[]string{"ix_string_norm", "LIST SUBQUERY", "SCAN r", "resource_id"}},
		{"the same, clauses the other way round", store.Query{Type: "Organization", Count: 10,
			Where: []store.Clause{tok[0], {Any: []store.Cond{{Param: "name", Kind: store.KindString, Value: "n1"}}}}}, modeAll,
			[]string{"ix_token_code (pid=? AND code=?)", "CORRELATED", "SEARCH x USING PRIMARY KEY (rid=? AND pid=?)"},
			[]string{"ix_string_norm", "LIST SUBQUERY", "SCAN r", "resource_id"}},
		{"index rows that may select a resource twice are collected (duplicates removed)", store.Query{Type: "Organization", Count: 10,
			Where: []store.Clause{{Any: []store.Cond{{Param: "_tag", Kind: store.KindToken, AnySystem: true, Code: "x"}}}}}, modeAll,
			[]string{"LIST SUBQUERY", "ix_token_code (pid=? AND code=?)"}, []string{"SCAN r", "CORRELATED"}},
		{"no condition reads the type in id order", store.Query{Type: "Organization", Count: 10}, modeAll,
			[]string{"resource_id (type=?)"}, []string{"SCAN r", "TEMP B-TREE"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkPlan(t, s, c.q, c.mode, c.want, c.not) })
	}
}

// checkPlan explains the page query of q in mode and checks that the plan holds every string of
// want, none of not, and no sort of the page with its bodies (readMatches checks the order
// instead).
func checkPlan(t *testing.T, s *Store, q store.Query, mode pageMode, want, not []string) {
	t.Helper()
	p, err := s.explain(context.Background(), q, mode)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range want {
		if !strings.Contains(p, w) {
			t.Errorf("plan lacks %q:\n%s", w, p)
		}
	}
	for _, n := range append(not, "<0 USE TEMP B-TREE FOR ORDER BY") {
		if strings.Contains(p, n) {
			t.Errorf("plan has %q:\n%s", n, p)
		}
	}
}

// TestInOrder: the order readMatches checks is the page query's: each key byte-wise, descending
// when asked, missing values last in either direction, then the id.
func TestInOrder(t *testing.T) {
	s := func(v string) *string { return &v }
	m := func(id string, keys ...*string) match { return match{v: store.Version{ID: id}, keys: keys} }
	want := []match{m("c", s("a"), s("z")), m("a", s("a"), s("y")), m("b", s("a"), nil), m("d", s("b"), s("x")), m("a2", nil, s("z")), m("b2", nil, s("z"))}
	got := []match{want[4], want[2], want[0], want[5], want[3], want[1]}
	inOrder([]store.SortKey{{Param: "k1"}, {Param: "k2", Desc: true}}, got)
	for i := range want {
		if got[i].v.ID != want[i].v.ID {
			var ids []string
			for _, g := range got {
				ids = append(ids, g.v.ID)
			}
			t.Fatalf("order %v, want c a b d a2 b2", ids)
		}
	}
}
