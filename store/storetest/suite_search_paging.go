package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rorfhir/ror/store"
)

// pagingDoc is one resource of the paging dataset: its sort keys ("" = missing) and group.
type pagingDoc struct {
	id, name, rank, group string
}

func pagingDocs() []pagingDoc {
	return []pagingDoc{
		{"p07", "m", "2", "even"}, {"p03", "b", "1", "odd"}, {"p11", "", "1", "odd"}, {"p01", "m", "", "odd"},
		{"p05", "a", "2", "odd"}, {"p12", "z", "1", "even"}, {"p02", "", "", "even"}, {"p09", "m", "1", "odd"},
		{"p04", "b", "2", "even"}, {"p10", "a", "", "even"}, {"p08", "", "2", "even"}, {"p06", "m", "1", "even"},
	}
}

// testSearchPaging: sort on several keys in both directions with missing values last and ties
// broken by ID, paged with After: every match exactly once, in order, whatever the page size.
func testSearchPaging(t *testing.T, s store.Store) {
	docs := pagingDocs()
	for i, d := range docs {
		ix := store.Index{Tokens: []store.TokenValue{tok("group", "", d.group, "")}, Sorts: []store.SortValue{srt("same", "k")}}
		if d.name != "" {
			ix.Sorts = append(ix.Sorts, srt("name", d.name))
		}
		if d.rank != "" {
			ix.Sorts = append(ix.Sorts, srt("rank", d.rank))
		}
		mustPut(t, s, write("Organization", d.id, 1, i, ix))
	}
	mustPut(t, s, tombstone("Organization", "p06", 2, 50)) // deleted: never matches
	sorts := []struct {
		name string
		sort []store.SortKey
		want []string // nil: computed by the model
	}{
		{"by id", nil, []string{"p01", "p02", "p03", "p04", "p05", "p07", "p08", "p09", "p10", "p11", "p12"}},
		{"_id desc", []store.SortKey{{Param: "_id", Desc: true}},
			[]string{"p12", "p11", "p10", "p09", "p08", "p07", "p05", "p04", "p03", "p02", "p01"}},
		{"name asc, missing last, ties by id", []store.SortKey{{Param: "name"}},
			[]string{"p05", "p10", "p03", "p04", "p01", "p07", "p09", "p12", "p02", "p08", "p11"}},
		{"name desc, missing still last", []store.SortKey{{Param: "name", Desc: true}},
			[]string{"p12", "p01", "p07", "p09", "p03", "p04", "p05", "p10", "p02", "p08", "p11"}},
		{"rank asc, name desc", []store.SortKey{{Param: "rank"}, {Param: "name", Desc: true}}, nil},
		{"rank desc, name asc, _id desc", []store.SortKey{{Param: "rank", Desc: true}, {Param: "name"}, {Param: "_id", Desc: true}}, nil},
		{"all keys equal", []store.SortKey{{Param: "same", Desc: true}}, nil},
		{"unknown sort parameter", []store.SortKey{{Param: "nope"}}, nil},
	}
	filters := []struct {
		name  string
		where []store.Clause
		keep  func(pagingDoc) bool
	}{
		{"all", nil, func(pagingDoc) bool { return true }},
		{"group even", and(code("group", "even")), func(d pagingDoc) bool { return d.group == "even" }},
	}
	for _, srtCase := range sorts {
		for _, f := range filters {
			var live []pagingDoc
			for _, d := range docs {
				if d.id != "p06" && f.keep(d) {
					live = append(live, d)
				}
			}
			want := modelSort(live, srtCase.sort)
			if srtCase.want != nil && f.name == "all" && !slices.Equal(want, srtCase.want) {
				t.Fatalf("%s: the suite's model says %v, the case says %v", srtCase.name, want, srtCase.want)
			}
			for _, count := range []int{1, 2, 3, 100} {
				t.Run(fmt.Sprintf("%s/%s/count=%d", srtCase.name, f.name, count), func(t *testing.T) {
					q := store.Query{Type: "Organization", Where: f.where, Sort: srtCase.sort, Count: count, Total: true}
					if got := pageSearch(t, s, q, len(want)); !slices.Equal(got, want) {
						t.Errorf("got %v, want %v", got, want)
					}
				})
			}
		}
	}
}

// pageSearch follows Next to the end; each page must say the same Total.
func pageSearch(t *testing.T, s store.Store, q store.Query, total int) []string {
	t.Helper()
	var out []string
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatal("search paging does not end")
		}
		res, err := s.Search(context.Background(), q)
		if err != nil {
			t.Fatalf("Search: %v", err)
		}
		if len(res.Matches) > q.Count {
			t.Fatalf("page of %d for Count %d", len(res.Matches), q.Count)
		}
		if q.Total && res.Total != total {
			t.Errorf("page %d: Total %d, want %d", pages, res.Total, total)
		}
		out = append(out, ids(res.Matches)...)
		if res.Next == nil {
			return out
		}
		if len(res.Matches) == 0 || res.Next.ID != res.Matches[len(res.Matches)-1].ID || len(res.Next.Keys) != len(q.Sort) {
			t.Fatalf("Next %+v does not name the last match of the page", res.Next)
		}
		q.After = res.Next
		if q.MaxSeq == 0 {
			q.MaxSeq = res.MaxSeq
		}
	}
}

// modelSort orders docs as the contract says: keys in order, missing last in either direction,
// then ID ascending.
func modelSort(docs []pagingDoc, sort []store.SortKey) []string {
	val := func(d pagingDoc, p string) string {
		switch p {
		case "_id":
			return d.id
		case "name":
			return d.name
		case "rank":
			return d.rank
		case "same":
			return "k"
		}
		return ""
	}
	sorted := slices.Clone(docs)
	slices.SortFunc(sorted, func(a, b pagingDoc) int {
		for _, k := range sort {
			va, vb := val(a, k.Param), val(b, k.Param)
			switch {
			case va == vb:
				continue
			case va == "":
				return 1
			case vb == "":
				return -1
			case k.Desc:
				return -strings.Compare(va, vb)
			default:
				return strings.Compare(va, vb)
			}
		}
		return strings.Compare(a.id, b.id)
	})
	out := make([]string, len(sorted))
	for i, d := range sorted {
		out[i] = d.id
	}
	return out
}
