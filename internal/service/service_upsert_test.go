package service

import (
	"context"
	"fmt"
	"testing"
)

func TestUpsertCreatedUpdatedUnchanged(t *testing.T) {
	svc, st := newTestService(t, Options{UpsertBatch: 2})
	ctx := context.Background()
	org := func(id, name string) Input {
		return Input{Type: "Organization", ID: id, Body: []byte(fmt.Sprintf(`{"resourceType":"Organization","name":%q}`, name))}
	}
	res, err := svc.Upsert(ctx, []Input{org("a", "A"), org("b", "B"), org("c", "C"), org("a", "A2")})
	if err != nil {
		t.Fatal(err)
	}
	want := []Outcome{Created, Created, Created, Updated}
	for i, r := range res {
		if r.Outcome != want[i] || r.Err != nil || r.Version.Seq == 0 {
			t.Fatalf("first load, input %d: %+v", i, r)
		}
	}
	puts := st.puts
	// the same content again, even written differently (spaces, member order), changes nothing
	again := []Input{
		org("a", "A2"),
		{Type: "Organization", ID: "b", Body: []byte(`{ "name" : "B", "resourceType" : "Organization", "id": "b" }`)},
		org("c", "C-changed"),
		{Type: "Organization", ID: "d", Body: []byte(`{"resourceType":"Location"}`)},
	}
	res, err = svc.Upsert(ctx, again)
	if err != nil {
		t.Fatal(err)
	}
	want = []Outcome{Unchanged, Unchanged, Updated, Failed}
	for i, r := range res {
		if r.Outcome != want[i] {
			t.Fatalf("second load, input %d: %v, want %v (%v)", i, r.Outcome, want[i], r.Err)
		}
	}
	if res[3].Err == nil || st.puts != puts+1 {
		t.Fatalf("failed input must carry its error and nothing else be written: %+v, puts %d->%d", res[3], puts, st.puts)
	}
	if res[0].Version.VersionID != 2 || res[2].Version.VersionID != 2 {
		t.Fatalf("versions: %+v", res)
	}
}

func TestSameContentDecimals(t *testing.T) {
	svc, _ := newTestService(t, Options{})
	ctx := context.Background()
	in := Input{Type: "Location", ID: "l", Body: []byte(`{"resourceType":"Location","position":{"longitude":4.50,"latitude":1}}`)}
	if _, err := svc.Upsert(ctx, []Input{in}); err != nil {
		t.Fatal(err)
	}
	in.Body = []byte(`{"resourceType":"Location","position":{"longitude":4.5,"latitude":1}}`)
	res, err := svc.Upsert(ctx, []Input{in})
	if err != nil || res[0].Outcome != Updated {
		t.Fatalf("4.50 -> 4.5 is a change as sent: %+v %v", res, err)
	}
}
