package storetest

import (
	"cmp"
	"context"
	"slices"
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
