package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/rorfhir/ror/store"
)

// The near-sort dataset: Locations around a point in Paris (centre), at distances known by hand
// (0.01 degree of latitude is 1.112 km; of longitude, 0.731 km at this latitude).
const centreLat, centreLon = 48.8566, 2.3522

type nearDoc struct {
	id, group, name string
	coords          [][2]float64
}

func nearDocs() []nearDoc {
	return []nearDoc{
		{"n1", "a", "m", [][2]float64{{centreLat + 0.05, centreLon}}},                               // 5.56 km
		{"n2", "b", "a", [][2]float64{{centreLat, centreLon + 0.02}}},                               // 1.46 km
		{"n3", "a", "b", [][2]float64{{centreLat, centreLon + 0.02}}},                               // 1.46 km, same place as n2
		{"n4", "b", "m", [][2]float64{{centreLat + 0.6, centreLon}, {centreLat - 0.03, centreLon}}}, // 66.7 and 3.34 km
		{"n5", "a", "z", [][2]float64{{45.7640, 4.8357}}},                                           // Lyon, 391 km
		{"n6", "b", "c", nil}, // no position
		{"n7", "a", "a", [][2]float64{{centreLat, centreLon}}},      // 0 km, deleted
		{"n8", "b", "", [][2]float64{{centreLat + 0.1, centreLon}}}, // 11.1 km, no name
		{"n9", "a", "m", [][2]float64{{centreLat, centreLon}}},      // 0 km
	}
}

// testSearchNearSort: a distance sort key (SortKey.Near), nearest first or farthest first, alone
// or with other keys and conditions, paged with After: every match once, in distance order, ties
// broken by the next keys then the id; a resource without a position sorts last.
func testSearchNearSort(t *testing.T, s store.Store) {
	for i, d := range nearDocs() {
		ix := store.Index{Tokens: []store.TokenValue{tok("group", "", d.group, "")}}
		if d.name != "" {
			ix.Sorts = append(ix.Sorts, srt("name", d.name))
		}
		for _, c := range d.coords {
			ix.Coords = append(ix.Coords, store.CoordValue{Param: "near", Lat: c[0], Lon: c[1]})
		}
		mustPut(t, s, write("Location", d.id, 1, i, ix))
	}
	mustPut(t, s, tombstone("Location", "n7", 2, 20))
	centre := &store.Point{Lat: centreLat, Lon: centreLon}
	byDistance := store.SortKey{Param: "near", Near: centre}
	farthest := store.SortKey{Param: "near", Near: centre, Desc: true}
	within := func(km float64) store.Cond { return nearCond(centreLat, centreLon, km) }
	cases := []struct {
		name  string
		where []store.Clause
		sort  []store.SortKey
		want  []string
	}{
		{"nearest first within 20 km", and(within(20)), []store.SortKey{byDistance},
			[]string{"n9", "n2", "n3", "n4", "n1", "n8"}},
		{"farthest first within 20 km", and(within(20)), []store.SortKey{farthest},
			[]string{"n8", "n1", "n4", "n2", "n3", "n9"}},
		{"nearest position of several", and(within(4)), []store.SortKey{byDistance},
			[]string{"n9", "n2", "n3", "n4"}},
		{"ties broken by the next key", and(within(20)), []store.SortKey{byDistance, {Param: "name", Desc: true}},
			[]string{"n9", "n3", "n2", "n4", "n1", "n8"}},
		{"with another condition", and(within(500), code("group", "a")), []store.SortKey{byDistance},
			[]string{"n9", "n3", "n1", "n5"}},
		{"no near condition: without a position last", nil, []store.SortKey{byDistance},
			[]string{"n9", "n2", "n3", "n4", "n1", "n8", "n5", "n6"}},
		{"farthest first, without a position still last", nil, []store.SortKey{farthest},
			[]string{"n5", "n8", "n1", "n4", "n2", "n3", "n9", "n6"}},
		{"distance as second key", nil, []store.SortKey{{Param: "name"}, byDistance},
			[]string{"n2", "n3", "n6", "n9", "n4", "n1", "n5", "n8"}},
		{"then _id descending", and(within(20)), []store.SortKey{byDistance, {Param: "_id", Desc: true}},
			[]string{"n9", "n3", "n2", "n4", "n1", "n8"}},
	}
	for _, c := range cases {
		for _, count := range []int{1, 2, 3, 100} {
			t.Run(fmt.Sprintf("%s/count=%d", c.name, count), func(t *testing.T) {
				q := store.Query{Type: "Location", Where: c.where, Sort: c.sort, Count: count, Total: true}
				if got := pageSearch(t, s, q, len(c.want)); !slices.Equal(got, c.want) {
					t.Errorf("got %v, want %v", got, c.want)
				}
			})
		}
	}
}
