package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/rorfhir/ror/store"
)

// testSearchKeyBounds: the bounds of the first sort key (SortKey.KeyMin, KeyMax), given with a
// query whose conditions imply them, change no page: every page, followed to the end, is the
// same as without them, ascending and descending, with another condition or none.
func testSearchKeyBounds(t *testing.T, s store.Store) {
	ctx := context.Background()
	// o00..o19: "when" = i (its sort key the zero-padded i), in the reverse of the id order;
	// even ones in group "g"; x1 and x2 have no "when" at all.
	var ws []store.Write
	for i := range 20 {
		ix := store.Index{
			Dates: []store.DateValue{{Param: "when", Lo: int64(i), Hi: int64(i)}},
			Sorts: []store.SortValue{srt("when", fmt.Sprintf("%04d", i))},
		}
		if i%2 == 0 {
			ix.Tokens = []store.TokenValue{tok("group", "", "g", "")}
		}
		ws = append(ws, write("Organization", fmt.Sprintf("o%02d", 19-i), 1, i, ix))
	}
	ws = append(ws, write("Organization", "x1", 1, 30, store.Index{Tokens: []store.TokenValue{tok("group", "", "g", "")}}),
		write("Organization", "x2", 1, 31, store.Index{}))
	if _, err := s.PutMany(ctx, ws); err != nil {
		t.Fatal(err)
	}
	when := func(cmp store.CmpOp, v int) store.Clause {
		return store.Clause{Any: []store.Cond{{Param: "when", Kind: store.KindDate, Op: store.OpRange,
			Bounds: []store.Bound{{Field: store.FieldHi, Cmp: cmp, Value: float64(v)}}}}}
	}
	group := store.Clause{Any: []store.Cond{{Param: "group", Kind: store.KindToken, Code: "g", AnySystem: true}}}
	key := func(i int) *string { k := fmt.Sprintf("%04d", i); return &k }
	name := func(i int) string { return fmt.Sprintf("o%02d", 19-i) }
	cases := []struct {
		name     string
		where    []store.Clause
		desc     bool
		min, max *string
		want     []string
	}{
		{"when >= 12, ascending", []store.Clause{when(store.CmpGE, 12)}, false, key(12), nil,
			[]string{name(12), name(13), name(14), name(15), name(16), name(17), name(18), name(19)}},
		{"when >= 12, descending", []store.Clause{when(store.CmpGE, 12)}, true, key(12), nil,
			[]string{name(19), name(18), name(17), name(16), name(15), name(14), name(13), name(12)}},
		{"when <= 4, ascending", []store.Clause{when(store.CmpLE, 4)}, false, nil, key(4),
			[]string{name(0), name(1), name(2), name(3), name(4)}},
		{"4 <= when <= 9, descending", []store.Clause{when(store.CmpGE, 4), when(store.CmpLE, 9)}, true, key(4), key(9),
			[]string{name(9), name(8), name(7), name(6), name(5), name(4)}},
		{"when >= 12 in group g", []store.Clause{group, when(store.CmpGE, 12)}, false, key(12), nil,
			[]string{name(12), name(14), name(16), name(18)}},
		{"when > 30: none", []store.Clause{when(store.CmpGT, 30)}, false, key(30), nil, nil},
	}
	for _, c := range cases {
		for _, bounded := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s, bounds %v", c.name, bounded), func(t *testing.T) {
				k := store.SortKey{Param: "when", Desc: c.desc}
				if bounded {
					k.KeyMin, k.KeyMax = c.min, c.max
				}
				q := store.Query{Type: "Organization", Where: c.where, Sort: []store.SortKey{k}, Count: 3}
				if got := FollowPages(t, s, q, 10); !slices.Equal(got, c.want) {
					t.Errorf("pages %v, want %v", got, c.want)
				}
			})
		}
	}
}
