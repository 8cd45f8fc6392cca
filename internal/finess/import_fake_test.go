package finess

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"sync"
)

// fakeTarget is an in-memory Target: Upsert writes a new version when the bytes differ, as the
// service does when the content differs.
type fakeTarget struct {
	mu       sync.Mutex
	bodies   map[Key][]byte
	versions map[Key]int
	// reject makes Upsert refuse the resources whose id it returns true for.
	reject func(Resource) bool
	// sawImportMark records whether every Upsert carried the import's context mark.
	sawImportMark bool
	upserts       int
}

func newFakeTarget() *fakeTarget {
	return &fakeTarget{bodies: map[Key][]byte{}, versions: map[Key]int{}, sawImportMark: true}
}

func (f *fakeTarget) Current(_ context.Context, keys []Key) (map[Key][]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[Key][]byte{}
	for _, k := range keys {
		if b, ok := f.bodies[k]; ok {
			out[k] = b
		}
	}
	return out, nil
}

func (f *fakeTarget) ListIDs(_ context.Context, typ, prefix string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []string
	for k := range f.bodies {
		if k.Type == typ && strings.HasPrefix(k.ID, prefix) {
			ids = append(ids, k.ID)
		}
	}
	sort.Strings(ids)
	return ids, nil
}

func (f *fakeTarget) Upsert(ctx context.Context, in []Resource) ([]Outcome, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.upserts++
	f.sawImportMark = f.sawImportMark && IsImport(ctx)
	out := make([]Outcome, len(in))
	for i, r := range in {
		k := Key{r.Type, r.ID}
		switch old, ok := f.bodies[k]; {
		case f.reject != nil && f.reject(r):
			out[i] = Outcome{Status: Rejected, Err: errString("refused by the fake")}
		case !ok:
			f.bodies[k], f.versions[k] = r.Body, 1
			out[i] = Outcome{Status: Created}
		case bytes.Equal(old, r.Body):
			out[i] = Outcome{Status: Unchanged}
		default:
			f.bodies[k] = r.Body
			f.versions[k]++
			out[i] = Outcome{Status: Updated}
		}
	}
	return out, nil
}

type errString string

func (e errString) Error() string { return string(e) }

var _ Target = (*fakeTarget)(nil)
