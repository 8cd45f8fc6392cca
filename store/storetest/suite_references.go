package storetest

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/rorfhir/ror/store"
)

// testReadReferences checks store.ReferenceReader: the references of the given parameters stored
// with each current version, local ones only; a version that is no longer current is reported
// as such (the caller then reads its body).
func testReadReferences(t *testing.T, s store.Store) {
	rr, ok := s.(store.ReferenceReader)
	if !ok {
		t.Skip("the store does not implement store.ReferenceReader")
	}
	ctx := context.Background()
	team := func(id string, vid int64, refs ...store.ReferenceValue) store.Write {
		return write("CareTeam", id, vid, int(vid), store.Index{References: refs, Tokens: []store.TokenValue{tok("status", "", "active", "")}})
	}
	p1, pa, pb := ref("subject", "Patient", "p1"), ref("participant", "Practitioner", "a"), ref("participant", "Practitioner", "b")
	ct1 := mustPut(t, s, team("ct1", 1, p1, pa, pb, ref("encounter", "Encounter", "e1"),
		store.ReferenceValue{Param: "participant", URL: "http://other.example/fhir/Practitioner/c"}))
	ct2 := mustPut(t, s, team("ct2", 1))
	ct3v1 := mustPut(t, s, team("ct3", 1, pa))
	ct3v2 := mustPut(t, s, team("ct3", 2, pb))
	ct4 := mustPut(t, s, team("ct4", 1, pa))
	mustPut(t, s, tombstone("CareTeam", "ct4", 2, 2))
	g1 := mustPut(t, s, write("Group", "g1", 1, 1, store.Index{References: []store.ReferenceValue{ref("member", "Patient", "p1"), ref("subject", "Patient", "p2")}}))
	none := store.Version{Type: "CareTeam", ID: "none", VersionID: 1}

	vs := []store.Version{ct1, ct2, ct3v1, ct3v2, ct4, g1, none, ct1}
	refs, oks, err := rr.ReadReferences(ctx, vs, []string{"participant", "subject", "unknown"})
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) != len(vs) || len(oks) != len(vs) {
		t.Fatalf("%d references and %d oks for %d versions", len(refs), len(oks), len(vs))
	}
	want := [][]store.ReferenceValue{{pa, pb, p1}, nil, nil, {pb}, nil, {ref("subject", "Patient", "p2")}, nil, {pa, pb, p1}}
	wantOK := []bool{true, true, false, true, false, true, false, true}
	for i := range vs {
		if oks[i] != wantOK[i] {
			t.Errorf("%s/%s/_history/%d: ok %v, want %v", vs[i].Type, vs[i].ID, vs[i].VersionID, oks[i], wantOK[i])
			continue
		}
		got := slices.Clone(refs[i])
		slices.SortFunc(got, cmpRef)
		w := slices.Clone(want[i])
		slices.SortFunc(w, cmpRef)
		if oks[i] && !slices.Equal(got, w) {
			t.Errorf("%s/%s: references %v, want %v", vs[i].Type, vs[i].ID, got, w)
		}
	}
	if refs, oks, err := rr.ReadReferences(ctx, nil, []string{"subject"}); err != nil || len(refs) != 0 || len(oks) != 0 {
		t.Errorf("no versions: %v, %v, %v", refs, oks, err)
	}
	if refs, oks, err := rr.ReadReferences(ctx, []store.Version{ct1}, nil); err != nil || !oks[0] || len(refs[0]) != 0 {
		t.Errorf("no parameters: %v, %v, %v", refs, oks, err)
	}
}

func cmpRef(a, b store.ReferenceValue) int {
	return cmp.Or(cmp.Compare(a.Param, b.Param), cmp.Compare(a.Type, b.Type), cmp.Compare(a.ID, b.ID), cmp.Compare(a.URL, b.URL))
}

// testReadCurrent checks store.CurrentReader: the current versions of the ids asked, in their
// order, each once; unknown and deleted ids left out; other types never.
func testReadCurrent(t *testing.T, s store.Store) {
	cr, ok := s.(store.CurrentReader)
	if !ok {
		t.Skip("the store does not implement store.CurrentReader")
	}
	ctx := context.Background()
	mustPut(t, s, write("Endpoint", "e1", 1, 1, store.Index{}))
	e2 := mustPut(t, s, write("Endpoint", "e2", 1, 2, store.Index{}))
	mustPut(t, s, write("Endpoint", "e3", 1, 3, store.Index{}))
	e3 := mustPut(t, s, write("Endpoint", "e3", 2, 4, store.Index{}))
	mustPut(t, s, write("Endpoint", "gone", 1, 5, store.Index{}))
	mustPut(t, s, tombstone("Endpoint", "gone", 2, 6))
	mustPut(t, s, write("Device", "e4", 1, 7, store.Index{}))
	e1 := mustPut(t, s, write("Endpoint", "e1", 2, 8, store.Index{}))

	got, err := cr.ReadCurrent(ctx, "Endpoint", []string{"e3", "gone", "e1", "e4", "nope", "e3", "e2"})
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Version{e3, e1, e2}
	if len(got) != len(want) {
		t.Fatalf("ReadCurrent: %v, want %v", ids(got), ids(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Type != w.Type || g.ID != w.ID || g.VersionID != w.VersionID || g.Seq != w.Seq ||
			!g.LastUpdated.Equal(w.LastUpdated) || g.Deleted || string(g.Body) != string(w.Body) {
			t.Errorf("entry %d: %+v, want %+v", i, g, w)
		}
	}
	if got, err := cr.ReadCurrent(ctx, "Endpoint", nil); err != nil || len(got) != 0 {
		t.Errorf("no ids: %v, %v", got, err)
	}
}

// testReadsFollowWrites checks that ReadCurrent and ReadReferences answer what the latest write
// (update, deletion, re-extraction) left, even right after answering the same question about
// the previous state: a store may keep their answers in memory, never past a write.
func testReadsFollowWrites(t *testing.T, s store.Store) {
	cr, okC := s.(store.CurrentReader)
	rr, okR := s.(store.ReferenceReader)
	if !okC || !okR {
		t.Skip("the store does not implement store.CurrentReader and store.ReferenceReader")
	}
	ctx := context.Background()
	svc := func(id string, vid int64, n int, org string) store.Write {
		return write("HealthcareService", id, vid, n, store.Index{References: []store.ReferenceValue{ref("organization", "Organization", org)}})
	}
	readBoth := func(v store.Version) (cur []store.Version, refs []store.ReferenceValue, ok bool) {
		t.Helper()
		cur, err := cr.ReadCurrent(ctx, v.Type, []string{v.ID})
		if err != nil {
			t.Fatal(err)
		}
		rs, oks, err := rr.ReadReferences(ctx, []store.Version{v}, []string{"organization"})
		if err != nil {
			t.Fatal(err)
		}
		return cur, rs[0], oks[0]
	}
	v1 := mustPut(t, s, svc("follow", 1, 1, "o1"))
	for range 2 { // the second round may be answered from memory
		cur, refs, ok := readBoth(v1)
		if len(cur) != 1 || cur[0].VersionID != 1 || !ok || len(refs) != 1 || refs[0].ID != "o1" {
			t.Fatalf("version 1: current %v, references %v (ok %v), want version 1 and o1", ids(cur), refs, ok)
		}
	}
	v2 := mustPut(t, s, svc("follow", 2, 2, "o2"))
	if cur, _, ok := readBoth(v1); len(cur) != 1 || cur[0].VersionID != 2 || string(cur[0].Body) != string(v2.Body) || ok {
		t.Fatalf("after the update: current %v, version 1's references ok %v; want version 2 and not ok", ids(cur), ok)
	}
	if _, refs, ok := readBoth(v2); !ok || len(refs) != 1 || refs[0].ID != "o2" {
		t.Fatalf("version 2's references %v (ok %v), want o2", refs, ok)
	}
	if err := s.Reindex(ctx, "HealthcareService", "follow", 2, store.Index{References: []store.ReferenceValue{ref("organization", "Organization", "o3")}}); err != nil {
		t.Fatal(err)
	}
	if _, refs, ok := readBoth(v2); !ok || len(refs) != 1 || refs[0].ID != "o3" {
		t.Fatalf("after the re-extraction: references %v (ok %v), want o3", refs, ok)
	}
	mustPut(t, s, tombstone("HealthcareService", "follow", 3, 3))
	if cur, _, ok := readBoth(v2); len(cur) != 0 || ok {
		t.Fatalf("after the deletion: current %v, version 2's references ok %v; want nothing", ids(cur), ok)
	}
}

// testReadCurrentUnderWrites: while writers update resources, ReadCurrent never answers a
// version older than one whose Put had returned before the read began.
func testReadCurrentUnderWrites(t *testing.T, s store.Store) {
	cr, ok := s.(store.CurrentReader)
	if !ok {
		t.Skip("the store does not implement store.CurrentReader")
	}
	ctx := context.Background()
	const n, rounds = 4, 100
	ids := make([]string, n)
	var acked [n]atomic.Int64 // the latest version of each resource whose Put returned
	for i := range ids {
		ids[i] = "under-" + strconv.Itoa(i)
		mustPut(t, s, write("Endpoint", ids[i], 1, 1, store.Index{}))
		acked[i].Store(1)
	}
	var wg sync.WaitGroup
	done := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for vid := int64(2); vid <= rounds; vid++ {
				if _, err := s.Put(ctx, write("Endpoint", ids[i], vid, int(vid), store.Index{})); err != nil {
					t.Error(err)
					return
				}
				acked[i].Store(vid)
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()
	for reads := 0; ; reads++ {
		var floor [n]int64
		for i := range n {
			floor[i] = acked[i].Load()
		}
		got, err := cr.ReadCurrent(ctx, "Endpoint", ids)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range got {
			i, _ := strconv.Atoi(strings.TrimPrefix(v.ID, "under-"))
			if v.VersionID < floor[i] {
				t.Fatalf("read %d: %s at version %d, but version %d was written before the read", reads, v.ID, v.VersionID, floor[i])
			}
		}
		select {
		case <-done:
			return
		default:
		}
	}
}
