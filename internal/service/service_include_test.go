package service

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/rorfhir/ror/fhir/search"
	"github.com/rorfhir/ror/store"
)

// refStore is a memStore that answers ReadReferences from refs (by type/id), ok only for the
// versions in current.
type refStore struct {
	*memStore
	refs    map[string][]store.ReferenceValue
	current map[string]int64
	err     error
	asked   [][]string // params of each call
}

func (r *refStore) ReadReferences(ctx context.Context, vs []store.Version, params []string) ([][]store.ReferenceValue, []bool, error) {
	r.asked = append(r.asked, params)
	if r.err != nil {
		return nil, nil, r.err
	}
	refs := make([][]store.ReferenceValue, len(vs))
	ok := make([]bool, len(vs))
	for i, v := range vs {
		k := v.Type + "/" + v.ID
		if r.current[k] == v.VersionID {
			refs[i], ok[i] = r.refs[k], true
		}
	}
	return refs, ok, nil
}

func TestIncludeReferencesFromTheStore(t *testing.T) {
	ctx := context.Background()
	hs := func(id string, vid int64, org string) store.Version {
		return store.Version{Type: "HealthcareService", ID: id, VersionID: vid,
			Body: []byte(`{"resourceType":"HealthcareService","id":"` + id + `","providedBy":{"reference":"Organization/` + org + `"}}`)}
	}
	frontier := []store.Version{hs("a", 1, "body-a"), hs("b", 1, "body-b"), {Type: "Organization", ID: "o", VersionID: 1},
		{Type: "HealthcareService", ID: "d", VersionID: 2, Deleted: true}, hs("c", 3, "body-c")}
	params := []string{"organization"}
	org := func(id string) []store.ReferenceValue {
		return []store.ReferenceValue{{Param: "organization", Type: "Organization", ID: id}}
	}
	rs := &refStore{memStore: newMemStore(),
		refs:    map[string][]store.ReferenceValue{"HealthcareService/a": org("index-a"), "HealthcareService/c": org("index-c")},
		current: map[string]int64{"HealthcareService/a": 1, "HealthcareService/b": 1, "HealthcareService/c": 4}} // c was updated since its page
	s := New(rs, search.Default(), Options{})
	got, err := s.references(ctx, "HealthcareService", frontier, params)
	if err != nil {
		t.Fatal(err)
	}
	// a from the index; b has no references in the index; c is read from its body (not current).
	want := [][]store.ReferenceValue{org("index-a"), nil, org("body-c")}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("references %v, want %v", got, want)
	}
	if len(rs.asked) != 1 || !slices.Equal(rs.asked[0], params) {
		t.Errorf("store asked %v", rs.asked)
	}

	// A store without ReferenceReader: every body is read.
	plain := New(newMemStore(), search.Default(), Options{})
	got, err = plain.references(ctx, "HealthcareService", frontier, params)
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]store.ReferenceValue{org("body-a"), org("body-b"), org("body-c")}; !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("from bodies: %v, want %v", got, want)
	}

	// A store error is the search's error.
	rs.err = errors.New("disk on fire")
	if _, err := s.references(ctx, "HealthcareService", frontier, params); err == nil {
		t.Error("a store error was ignored")
	}
}
