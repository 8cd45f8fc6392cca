package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rorfhir/ror/store"
)

// testHistory: instance, type and system history, newest first, paged with every page size,
// with Since and At.
func testHistory(t *testing.T, s store.Store) {
	ws := []store.Write{
		write("Organization", "o1", 1, 1, store.Index{}),
		write("Location", "l1", 1, 2, store.Index{}),
		write("Organization", "o1", 2, 3, store.Index{}),
		write("Organization", "o2", 1, 4, store.Index{}),
		tombstone("Location", "l1", 2, 5),
		write("Organization", "o1", 3, 6, store.Index{}),
		tombstone("Organization", "o2", 2, 7),
		write("Location", "l1", 3, 8, store.Index{}),
		write("Organization", "o3", 1, 8, store.Index{}), // same instant as the previous write
	}
	var all []store.Version // in commit order
	for _, w := range ws {
		v := mustPut(t, s, w)
		if len(all) > 0 && v.Seq <= all[len(all)-1].Seq {
			t.Fatalf("Seq %d of %s not above %d", v.Seq, key(v), all[len(all)-1].Seq)
		}
		all = append(all, v)
	}
	cases := []struct {
		name string
		q    store.HistoryQuery
		want []string // newest first; nil = computed from the model
	}{
		{name: "system", q: store.HistoryQuery{}},
		{name: "type", q: store.HistoryQuery{Type: "Organization"}},
		{name: "instance", q: store.HistoryQuery{Type: "Organization", ID: "o1"}},
		{name: "instance with tombstone", q: store.HistoryQuery{Type: "Location", ID: "l1"}},
		{name: "unknown instance", q: store.HistoryQuery{Type: "Organization", ID: "zz"}, want: []string{}},
		{name: "unknown type", q: store.HistoryQuery{Type: "Task"}, want: []string{}},
		{name: "since", q: store.HistoryQuery{Since: at(4)}},
		{name: "since, type", q: store.HistoryQuery{Type: "Location", Since: at(5)}},
		{name: "since after everything", q: store.HistoryQuery{Since: at(9)}, want: []string{}},
		{name: "at before everything", q: store.HistoryQuery{At: at(0)}, want: []string{}},
		{name: "at an update instant", q: store.HistoryQuery{At: at(3)}, want: []string{
			"Organization/o1/_history/2", "Location/l1/_history/1"}},
		{name: "at a delete (tombstone returned)", q: store.HistoryQuery{At: at(5)}, want: []string{
			"Location/l1/_history/2", "Organization/o2/_history/1", "Organization/o1/_history/2"}},
		{name: "at between writes", q: store.HistoryQuery{At: at(6).Add(500 * time.Millisecond)}},
		{name: "at the end", q: store.HistoryQuery{At: at(100)}, want: []string{
			"Organization/o3/_history/1", "Location/l1/_history/3", "Organization/o2/_history/2", "Organization/o1/_history/3"}},
		{name: "at, type", q: store.HistoryQuery{Type: "Organization", At: at(7)}},
		{name: "at, instance", q: store.HistoryQuery{Type: "Location", ID: "l1", At: at(7)}, want: []string{"Location/l1/_history/2"}},
		{name: "since and at", q: store.HistoryQuery{Since: at(4), At: at(7)}},
	}
	for _, c := range cases {
		want := modelHistory(all, c.q)
		if c.want != nil && !slices.Equal(keys(want), c.want) {
			t.Fatalf("%s: the suite's model says %v, the case says %v", c.name, keys(want), c.want)
		}
		for _, count := range []int{1, 2, 3, 100} {
			t.Run(fmt.Sprintf("%s/count=%d", c.name, count), func(t *testing.T) {
				got := pageHistory(t, s, c.q, count)
				if !slices.Equal(keys(got), keys(want)) {
					t.Fatalf("got %v, want %v", keys(got), keys(want))
				}
				for i := range got {
					if d := sameVersion(got[i], want[i]); d != "" {
						t.Error(d)
					}
				}
			})
		}
	}
}

// pageHistory follows NextBeforeSeq to the end and checks each page's shape.
func pageHistory(t *testing.T, s store.Store, q store.HistoryQuery, count int) []store.Version {
	t.Helper()
	q.Count = count
	var out []store.Version
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatal("history paging does not end")
		}
		page, err := s.History(context.Background(), q)
		if err != nil {
			t.Fatalf("History(%+v): %v", q, err)
		}
		if len(page.Versions) > count {
			t.Fatalf("page of %d versions for Count %d", len(page.Versions), count)
		}
		out = append(out, page.Versions...)
		if page.NextBeforeSeq == 0 {
			return out
		}
		if len(page.Versions) == 0 || page.NextBeforeSeq > page.Versions[len(page.Versions)-1].Seq {
			t.Fatalf("NextBeforeSeq %d would repeat entries of page %v", page.NextBeforeSeq, keys(page.Versions))
		}
		q.BeforeSeq = page.NextBeforeSeq
	}
}

// modelHistory is what History must return for q over the versions written in order.
func modelHistory(all []store.Version, q store.HistoryQuery) []store.Version {
	out := []store.Version{}
	for i := len(all) - 1; i >= 0; i-- {
		v := all[i]
		if (q.Type != "" && v.Type != q.Type) || (q.ID != "" && v.ID != q.ID) {
			continue
		}
		if !q.Since.IsZero() && v.LastUpdated.Before(q.Since) {
			continue
		}
		if !q.At.IsZero() {
			if v.LastUpdated.After(q.At) {
				continue
			}
			superseded := false
			for _, n := range all[i+1:] {
				if n.Type == v.Type && n.ID == v.ID && !n.LastUpdated.After(q.At) {
					superseded = true
				}
			}
			if superseded {
				continue
			}
		}
		out = append(out, v)
	}
	return out
}

// testHistoryUnderWrites pages through the system history while another goroutine keeps
// writing: every version committed before the first page appears exactly once, none twice.
func testHistoryUnderWrites(t *testing.T, s store.Store) {
	ctx := context.Background()
	before := map[string]bool{}
	for i := range 12 {
		v := mustPut(t, s, write("Organization", fmt.Sprintf("h%02d", i), 1, i, store.Index{}))
		before[key(v)] = true
	}
	committed := make(chan store.Version)
	stop := make(chan struct{})
	failed := make(chan error, 1)
	go func() {
		defer close(committed)
		for n := 2; ; n++ {
			for i := range 12 {
				v, err := s.Put(ctx, write("Organization", fmt.Sprintf("h%02d", i), int64(n), 100*n+i, store.Index{}))
				if err != nil {
					failed <- err
					return
				}
				select {
				case committed <- v:
				case <-stop:
					return
				}
			}
		}
	}()
	// Let some writes commit, and know them, before the first page.
	for range 5 {
		v, ok := <-committed
		if !ok {
			t.Fatal(<-failed)
		}
		before[key(v)] = true
	}
	seen := map[string]bool{}
	q := store.HistoryQuery{Count: 4}
	var lastSeq int64
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatal("history paging does not end")
		}
		page, err := s.History(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range page.Versions {
			if seen[key(v)] {
				t.Errorf("%s seen twice", key(v))
			}
			seen[key(v)] = true
			if lastSeq != 0 && v.Seq >= lastSeq {
				t.Errorf("Seq %d after %d: not newest first", v.Seq, lastSeq)
			}
			lastSeq = v.Seq
		}
		if page.NextBeforeSeq == 0 {
			break
		}
		q.BeforeSeq = page.NextBeforeSeq
		if _, ok := <-committed; !ok { // one more write lands between pages
			t.Fatal(<-failed)
		}
	}
	close(stop)
	for range committed { // wait for the writer to end
	}
	for k := range before {
		if !seen[k] {
			t.Errorf("%s, committed before the first page, never appeared", k)
		}
	}
}
