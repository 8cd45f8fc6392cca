package app

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/rorfhir/ror/internal/config"
	"github.com/rorfhir/ror/profiles/terminology"
	"github.com/rorfhir/ror/store"
)

// The store source reads every current ValueSet and CodeSystem through the pages, nothing else;
// a write of either type through the invalidating store makes the cache reload.
func TestStoreTerminology(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
	cache := terminology.NewCache(storeTerminology{st: st, page: 2}, terminology.CacheOptions{})
	ws := invalidatingStore{Store: st, cache: cache}
	at := time.Unix(1700000000, 0).UTC()
	put := func(typ, id, body string) {
		t.Helper()
		if _, err := ws.Put(ctx, store.Write{Type: typ, ID: id, VersionID: 1, LastUpdated: at, Body: []byte(body)}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 5; i++ {
		put("ValueSet", fmt.Sprintf("vs%d", i), fmt.Sprintf(`{"resourceType":"ValueSet","id":"vs%d","url":"http://vs/%d","compose":{"include":[{"system":"http://cs"}]}}`, i, i))
	}
	put("Organization", "o1", `{"resourceType":"Organization","id":"o1"}`)
	bodies, err := storeTerminology{st: st, page: 2}.Resources(ctx)
	if err != nil || len(bodies) != 5 {
		t.Fatalf("%d resources, %v", len(bodies), err)
	}
	if r, err := cache.ValidateCode(ctx, "http://vs/4", "http://cs", "a"); err != nil || !r.ValueSetKnown || !r.Undecided {
		t.Fatalf("before the CodeSystem: %+v %v", r, err)
	}
	if _, err := ws.PutMany(ctx, []store.Write{{Type: "CodeSystem", ID: "cs", VersionID: 1, LastUpdated: at,
		Body: []byte(`{"resourceType":"CodeSystem","id":"cs","url":"http://cs","content":"complete","concept":[{"code":"a"}]}`)}}); err != nil {
		t.Fatal(err)
	}
	if r, err := cache.ValidateCode(ctx, "http://vs/4", "http://cs", "a"); err != nil || !r.Valid {
		t.Fatalf("after the CodeSystem write: %+v %v", r, err)
	}
}

// The invalidating store keeps the store's references reader and current reader (the service's
// _include reads the references from the index, and the included resources by key, through
// them); over a store without them it reports no references (bodies read) and reads each id.
func TestInvalidatingStoreReadsReferences(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
	ws := invalidatingStore{Store: st, cache: terminology.NewCache(storeTerminology{st: st, page: 2}, terminology.CacheOptions{})}
	org := store.ReferenceValue{Param: "organization", Type: "Organization", ID: "o1"}
	v, err := ws.Put(ctx, store.Write{Type: "HealthcareService", ID: "hs", VersionID: 1, LastUpdated: time.Unix(1700000000, 0).UTC(),
		Body: []byte(`{"resourceType":"HealthcareService","id":"hs"}`), Index: store.Index{References: []store.ReferenceValue{org}}})
	if err != nil {
		t.Fatal(err)
	}
	var s store.Store = ws
	rr, ok := s.(store.ReferenceReader)
	if !ok {
		t.Fatal("the invalidating store hides store.ReferenceReader")
	}
	refs, oks, err := rr.ReadReferences(ctx, []store.Version{v}, []string{"organization"})
	if err != nil || !oks[0] || len(refs[0]) != 1 || refs[0][0] != org {
		t.Errorf("through the wrapper: %v %v %v", refs, oks, err)
	}
	bare := invalidatingStore{Store: struct{ store.Store }{st}}
	refs, oks, err = bare.ReadReferences(ctx, []store.Version{v}, []string{"organization"})
	if err != nil || len(oks) != 1 || oks[0] || len(refs) != 1 {
		t.Errorf("over a store without a reader: %v %v %v", refs, oks, err)
	}
	if _, ok := st.(store.CurrentReader); !ok {
		t.Fatal("the embedded store does not implement store.CurrentReader")
	}
	if _, err := ws.Put(ctx, store.Write{Type: "HealthcareService", ID: "gone", VersionID: 1, LastUpdated: time.Unix(1700000000, 0).UTC(),
		Body: []byte(`{"resourceType":"HealthcareService","id":"gone"}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Put(ctx, store.Write{Type: "HealthcareService", ID: "gone", VersionID: 2, LastUpdated: time.Unix(1700000001, 0).UTC(), Deleted: true}); err != nil {
		t.Fatal(err)
	}
	for name, cr := range map[string]store.CurrentReader{"through the wrapper": ws, "over a store without a current reader": bare} {
		got, err := cr.ReadCurrent(ctx, "HealthcareService", []string{"nope", "gone", "hs", "hs"})
		if err != nil || len(got) != 1 || got[0].ID != "hs" || got[0].VersionID != 1 || string(got[0].Body) != string(v.Body) {
			t.Errorf("ReadCurrent %s: %+v, %v; want hs once (unknown and deleted left out)", name, got, err)
		}
	}
}

// openTestStore opens the embedded store as the server does, in a temporary directory.
func openTestStore(t *testing.T) store.Store {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.Load([]string{"--data-dir", t.TempDir()}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	st, _, err := OpenStore(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close(ctx) })
	return st
}
