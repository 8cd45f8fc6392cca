package sqlite

import (
	"context"
	"slices"
	"testing"

	"github.com/rorfhir/ror/store"
	"github.com/rorfhir/ror/store/storetest"
)

// TestSortKeysDerivedFromValues: the sort keys of string and token parameters that agree with
// their values are not stored (no ix_sort rows) and still order searches, in every page mode
// (read in value order, joined next to a condition, resources without a value last), each
// resource once when it has several values; the first write whose key disagrees turns the
// parameter to stored keys, those of the resources written before copied, and later updates
// replace them.
func TestSortKeysDerivedFromValues(t *testing.T) {
	ctx := context.Background()
	s := OpenTemp(t)
	// o1..o6: name (one value, or two for o2 and o5), code (token, two codes for o3); o6 has none.
	type res struct {
		id    string
		names []string
		codes []string
		group bool
	}
	data := []res{
		{"o1", []string{"delta"}, []string{"30"}, true},
		{"o2", []string{"echo", "alpha"}, []string{"10"}, false},
		{"o3", []string{"charlie"}, []string{"50", "05"}, true},
		{"o4", []string{"bravo"}, []string{"20"}, false},
		{"o5", []string{"foxtrot", "golf"}, []string{"40"}, true},
		{"o6", nil, nil, true},
	}
	write := func(r res, vid int64, nameKey string) store.Write {
		ix := store.Index{}
		least := ""
		for _, n := range r.names {
			ix.Strings = append(ix.Strings, store.StringValue{Param: "name", Norm: n, Exact: n}, store.StringValue{Param: "name", Norm: n, Exact: n + "!"})
			if least == "" || n < least {
				least = n
			}
		}
		if nameKey != "" {
			least = nameKey
		}
		if least != "" {
			ix.Sorts = append(ix.Sorts, store.SortValue{Param: "name", Key: least})
		}
		leastCode := ""
		for _, c := range r.codes {
			ix.Tokens = append(ix.Tokens, store.TokenValue{Param: "code", System: "a", Code: c}, store.TokenValue{Param: "code", System: "b", Code: c})
			if leastCode == "" || c < leastCode {
				leastCode = c
			}
		}
		if leastCode != "" {
			ix.Sorts = append(ix.Sorts, store.SortValue{Param: "code", Key: leastCode})
		}
		if r.group {
			ix.Tokens = append(ix.Tokens, store.TokenValue{Param: "group", Code: "g"})
		}
		return store.Write{Type: "Organization", ID: r.id, VersionID: vid, Body: []byte("{}"), Index: ix}
	}
	var ws []store.Write
	for _, r := range data {
		ws = append(ws, write(r, 1, ""))
	}
	if _, err := s.PutMany(ctx, ws); err != nil {
		t.Fatal(err)
	}
	sortRows := func(param string) int {
		t.Helper()
		var n int
		err := s.read.QueryRowContext(ctx, "SELECT count(*) FROM ix_sort x JOIN param p ON p.pid = x.pid WHERE p.name = ?", param).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	group := []store.Clause{{Any: []store.Cond{{Param: "group", Kind: store.KindToken, Code: "g", AnySystem: true}}}}
	check := func(step string) {
		t.Helper()
		cases := []struct {
			param string
			desc  bool
			where []store.Clause
			want  []string
		}{
			{"name", false, nil, []string{"o2", "o4", "o3", "o1", "o5", "o6"}},
			{"name", true, nil, []string{"o5", "o1", "o3", "o4", "o2", "o6"}},
			{"name", false, group, []string{"o3", "o1", "o5", "o6"}},
			{"code", false, nil, []string{"o3", "o2", "o4", "o1", "o5", "o6"}},
			{"code", true, group, []string{"o5", "o1", "o3", "o6"}},
		}
		for _, c := range cases {
			for _, count := range []int{1, 2, 10} {
				q := store.Query{Type: "Organization", Where: c.where, Sort: []store.SortKey{{Param: c.param, Desc: c.desc}}, Count: count}
				if got := storetest.FollowPages(t, s, q, 10); !slices.Equal(got, c.want) {
					t.Errorf("%s: sort %s desc %v, %v, pages of %d: %v, want %v", step, c.param, c.desc, c.where != nil, count, got, c.want)
				}
			}
		}
	}
	check("derived")
	if n := sortRows("name") + sortRows("code"); n != 0 {
		t.Errorf("%d ix_sort rows for name and code, want none (derived from their values)", n)
	}

	// o4 now has a name key that its values do not give: name turns to stored keys.
	if _, err := s.Put(ctx, write(res{"o4", []string{"bravo"}, []string{"20"}, false}, 2, "hotel")); err != nil {
		t.Fatal(err)
	}
	data[3].names = []string{"hotel"} // where o4 sorts now
	if n := sortRows("name"); n != 5 {
		t.Errorf("%d ix_sort rows for name after the disagreeing write, want 5 (every resource with a name)", n)
	}
	if n := sortRows("code"); n != 0 {
		t.Errorf("%d ix_sort rows for code, want none", n)
	}
	check2 := func(step string, want []string) {
		t.Helper()
		res, err := s.Search(ctx, store.Query{Type: "Organization", Sort: []store.SortKey{{Param: "name"}}, Count: 10})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(res.Matches); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", step, got, want)
		}
	}
	check2("stored keys", []string{"o2", "o3", "o1", "o5", "o4", "o6"})
	// An update of a resource whose key was copied replaces it.
	if _, err := s.Put(ctx, write(res{"o2", []string{"zulu"}, []string{"10"}, false}, 2, "")); err != nil {
		t.Fatal(err)
	}
	check2("after an update", []string{"o3", "o1", "o5", "o4", "o2", "o6"})
	if n := sortRows("name"); n != 5 {
		t.Errorf("%d ix_sort rows for name after the update, want 5", n)
	}
	var src int64
	if err := s.read.QueryRowContext(ctx, "SELECT sortsrc FROM param WHERE name = 'code'").Scan(&src); err != nil || src != sortToken {
		t.Errorf("code: sortsrc %d (%v), want %d", src, err, sortToken)
	}
}

// TestDerivedSortPlans: a page sorted by a derived key reads the value index in order (no sort
// of every match) and a joined key is looked up in the resource's rows.
func TestDerivedSortPlans(t *testing.T) {
	ctx := context.Background()
	s := OpenTemp(t)
	var ws []store.Write
	for i := range 300 {
		n := string(rune('a'+i%26)) + string(rune('a'+i/26))
		ws = append(ws, store.Write{Type: "Organization", ID: n, VersionID: 1, Body: []byte("{}"), Index: store.Index{
			Strings: []store.StringValue{{Param: "name", Norm: n, Exact: n}},
			Tokens:  []store.TokenValue{{Param: "code", System: "s", Code: n}, {Param: "identifier", System: "s", Code: n}},
			Sorts:   []store.SortValue{{Param: "name", Key: n}, {Param: "code", Key: n}},
		}})
	}
	if _, err := s.PutMany(ctx, ws); err != nil {
		t.Fatal(err)
	}
	tok := []store.Clause{{Any: []store.Cond{{Param: "identifier", Kind: store.KindToken, AnySystem: true, Code: "ab"}}}}
	cases := []struct {
		name      string
		q         store.Query
		mode      pageMode
		want, not []string
	}{
		{"string key read in order", store.Query{Type: "Organization", Count: 10, Sort: []store.SortKey{{Param: "name"}}}, modeKeyed,
			[]string{"ix_string_norm (pid=?)"}, []string{"SCAN s0", "SCAN r", "<2 USE TEMP B-TREE FOR ORDER BY", "ix_sort"}},
		{"token key read in order, seeking", store.Query{Type: "Organization", Count: 10, Sort: []store.SortKey{{Param: "code", Desc: true}},
			After: &store.Position{ID: "ab", Keys: []*string{new("ab")}}}, modeKeyed,
			[]string{"ix_token_code (pid=? AND code<?)"}, []string{"SCAN s0", "SCAN r", "<2 USE TEMP B-TREE FOR ORDER BY", "ix_sort"}},
		{"joined key: one lookup per match", store.Query{Type: "Organization", Count: 10, Where: tok, Sort: []store.SortKey{{Param: "name"}}}, modeAll,
			[]string{"ix_token_code (pid=? AND code=?)", "SEARCH m USING PRIMARY KEY (rid=? AND pid=?)"}, []string{"SCAN r", "SCAN x", "ix_sort"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkPlan(t, s, c.q, c.mode, c.want, c.not) })
	}
}
