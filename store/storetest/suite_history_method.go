package storetest

import (
	"context"
	"testing"

	"github.com/rorfhir/ror/store"
)

// testHistoryMethod: the method a version was written with comes back from Put and History, and
// a write that does not say has none.
func testHistoryMethod(t *testing.T, s store.Store) {
	posted := write("Organization", "m1", 1, 1, store.Index{})
	posted.Method = "POST"
	put := write("Organization", "m2", 1, 2, store.Index{})
	put.Method = "PUT"
	deleted := tombstone("Organization", "m2", 2, 3)
	deleted.Method = "DELETE"
	unsaid := write("Organization", "m3", 1, 4, store.Index{})
	want := map[string]string{"Organization/m1/_history/1": "POST", "Organization/m2/_history/1": "PUT",
		"Organization/m2/_history/2": "DELETE", "Organization/m3/_history/1": ""}
	for _, w := range []store.Write{posted, put, deleted, unsaid} {
		if v := mustPut(t, s, w); v.Method != w.Method {
			t.Errorf("Put %s/%s/%d: Method %q, want %q", w.Type, w.ID, w.VersionID, v.Method, w.Method)
		}
	}
	page, err := s.History(context.Background(), store.HistoryQuery{Type: "Organization", Count: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Versions) != len(want) {
		t.Fatalf("History: %d versions, want %d", len(page.Versions), len(want))
	}
	for _, v := range page.Versions {
		k := key(v)
		if m, ok := want[k]; !ok || v.Method != m {
			t.Errorf("History %s: Method %q, want %q", k, v.Method, m)
		}
	}
}
