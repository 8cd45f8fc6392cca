package sqlite

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/rorfhir/ror/store"
)

// TestWalk checks the pages of searches that walk the resources in id order (planWalk) against
// the expected ids, page after page: dense matches, matches clustered at the end of the id order
// (the walk's window ends before the page is full and the index takes over), several drivers,
// alternatives, a negation, a chain, a deleted resource and a snapshot (MaxSeq).
func TestWalk(t *testing.T) {
	ctx := context.Background()
	s := OpenTemp(t)
	const n = 1000
	var ws []store.Write
	for i := range n {
		id := fmt.Sprintf("o%04d", i)
		ix := store.Index{Tokens: []store.TokenValue{{Param: "all", Code: "x"}, {Param: "_id", Code: id}},
			References: []store.ReferenceValue{{Param: "partof", Type: "Organization", ID: fmt.Sprintf("o%04d", n-1-i)}}}
		if i%2 == 0 {
			ix.Tokens = append(ix.Tokens, store.TokenValue{Param: "even", Code: "x"})
		}
		if i >= n/2 {
			ix.Tokens = append(ix.Tokens, store.TokenValue{Param: "late", Code: "x"})
		}
		ws = append(ws, store.Write{Type: "Organization", ID: id, VersionID: 1, Body: []byte("{}"), Index: ix})
	}
	if _, err := s.PutMany(ctx, ws); err != nil {
		t.Fatal(err)
	}
	del := ws[2]
	del.VersionID, del.Deleted, del.Body, del.Index = 2, true, nil, store.Index{}
	if _, err := s.Put(ctx, del); err != nil {
		t.Fatal(err)
	}
	snap, err := s.Search(ctx, store.Query{Type: "Organization"})
	if err != nil {
		t.Fatal(err)
	}
	upd := ws[4] // after the snapshot: hidden from a search pinned to it
	upd.VersionID = 2
	if _, err := s.Put(ctx, upd); err != nil {
		t.Fatal(err)
	}
	has := func(p string) store.Cond {
		return store.Cond{Param: p, Kind: store.KindToken, Code: "x", AnySystem: true}
	}
	want := func(keep func(i int) bool) []string {
		var out []string
		for i := range n {
			if i != 2 && keep(i) {
				out = append(out, fmt.Sprintf("o%04d", i))
			}
		}
		return out
	}
	cases := []struct {
		name   string
		where  []store.Clause
		maxSeq int64
		want   []string
	}{
		{"dense", []store.Clause{{Any: []store.Cond{has("all")}}}, 0, want(func(int) bool { return true })},
		{"clustered at the end", []store.Clause{{Any: []store.Cond{has("late")}}}, 0, want(func(i int) bool { return i >= n/2 })},
		{"two drivers", []store.Clause{{Any: []store.Cond{has("late")}}, {Any: []store.Cond{has("even")}}}, 0,
			want(func(i int) bool { return i >= n/2 && i%2 == 0 })},
		{"alternatives", []store.Clause{{Any: []store.Cond{{Kind: store.KindOr, Or: [][]store.Clause{
			{{Any: []store.Cond{has("late")}}, {Any: []store.Cond{has("even")}}},
			{{Any: []store.Cond{{Param: "_id", Kind: store.KindToken, Code: "o0001", AnySystem: true}}}}}}}}}, 0,
			want(func(i int) bool { return i == 1 || i >= n/2 && i%2 == 0 })},
		{"with a negation", []store.Clause{{Any: []store.Cond{has("all")}}, {Any: []store.Cond{{Param: "late", Kind: store.KindToken,
			Code: "x", AnySystem: true, Not: true}}}}, 0, want(func(i int) bool { return i < n/2 })},
		{"chain", []store.Clause{{Any: []store.Cond{{Param: "partof", Kind: store.KindReference, Target: &store.Query{Type: "Organization",
			Where: []store.Clause{{Any: []store.Cond{has("late")}}}}}}}}, 0, want(func(i int) bool { return n-1-i >= n/2 && n-1-i != 2 })},
		{"snapshot", []store.Clause{{Any: []store.Cond{has("even")}}}, snap.MaxSeq, want(func(i int) bool { return i%2 == 0 && i != 4 })},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := store.Query{Type: "Organization", Where: c.where, Count: 10, MaxSeq: c.maxSeq}
			cm := &compiler{ctx: ctx, q: s.read, d: s.dicts}
			_, drivers, err := cm.rows("r", q.Type, q.Where)
			if err != nil {
				t.Fatal(err)
			}
			if walk, _, _, err := s.planWalk(ctx, s.read, q, drivers); err != nil || !walk {
				t.Fatalf("planWalk: %v, %v; want a walk", walk, err)
			}
			var got []string
			for range n {
				res, err := s.Search(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, ids(res.Matches)...)
				if res.Next == nil {
					break
				}
				q.After = res.Next
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("got %d ids %v...,\nwant %d ids %v...", len(got), got[:min(20, len(got))], len(c.want), c.want[:min(20, len(c.want))])
			}
		})
	}
	t.Run("rare matches use the index", func(t *testing.T) {
		q := store.Query{Type: "Organization", Count: 10, Where: []store.Clause{{Any: []store.Cond{
			{Param: "_id", Kind: store.KindToken, Code: "o0007", AnySystem: true}}}}}
		cm := &compiler{ctx: ctx, q: s.read, d: s.dicts}
		_, drivers, err := cm.rows("r", q.Type, q.Where)
		if err != nil {
			t.Fatal(err)
		}
		if walk, _, _, err := s.planWalk(ctx, s.read, q, drivers); err != nil || walk {
			t.Fatalf("planWalk: %v, %v; want the index", walk, err)
		}
	})
}

func ids(vs []store.Version) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.ID
	}
	return out
}
