package service

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/rorfhir/ror/store"
)

// memStore is a minimal in-memory store for the service's unit tests (search ignores Where).
type memStore struct {
	mu       sync.Mutex
	seq      int64
	versions []store.Version            // in Seq order
	current  map[string]store.Version   // type/id -> current
	all      map[string][]store.Version // type/id -> versions
	puts     int
	// beforePut, when set, runs before each Put under no lock (to inject races).
	beforePut func(w store.Write)
}

func newMemStore() *memStore {
	return &memStore{current: map[string]store.Version{}, all: map[string][]store.Version{}}
}

var _ store.Store = (*memStore)(nil)

func (m *memStore) Put(ctx context.Context, w store.Write) (store.Version, error) {
	if m.beforePut != nil {
		m.beforePut(w)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.putLocked(w)
}

func (m *memStore) putLocked(w store.Write) (store.Version, error) {
	k := w.Type + "/" + w.ID
	cur, ok := m.current[k]
	if (ok && cur.VersionID != w.VersionID-1) || (!ok && w.VersionID != 1) {
		return store.Version{}, fmt.Errorf("put %s v%d: %w", k, w.VersionID, store.ErrVersionConflict)
	}
	m.seq++
	m.puts++
	v := store.Version{Type: w.Type, ID: w.ID, VersionID: w.VersionID, Seq: m.seq, LastUpdated: w.LastUpdated,
		Deleted: w.Deleted, Body: w.Body, Method: w.Method}
	m.current[k] = v
	m.all[k] = append(m.all[k], v)
	m.versions = append(m.versions, v)
	return v, nil
}

func (m *memStore) PutMany(ctx context.Context, ws []store.Write) ([]store.Version, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, w := range ws { // all or nothing: check every write first
		cur, ok := m.current[w.Type+"/"+w.ID]
		if (ok && cur.VersionID != w.VersionID-1) || (!ok && w.VersionID != 1) {
			return nil, &store.BatchError{Index: i, Err: store.ErrVersionConflict}
		}
	}
	var out []store.Version
	for i, w := range ws {
		v, err := m.putLocked(w)
		if err != nil {
			return out, &store.BatchError{Index: i, Err: err}
		}
		out = append(out, v)
	}
	return out, nil
}

func (m *memStore) Read(ctx context.Context, typ, id string) (store.Version, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.current[typ+"/"+id]
	if !ok {
		return store.Version{}, store.ErrNotFound
	}
	return v, nil
}

func (m *memStore) VRead(ctx context.Context, typ, id string, vid int64) (store.Version, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	vs := m.all[typ+"/"+id]
	if vid < 1 || vid > int64(len(vs)) {
		return store.Version{}, store.ErrNotFound
	}
	return vs[vid-1], nil
}

func (m *memStore) History(ctx context.Context, q store.HistoryQuery) (store.HistoryPage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var page store.HistoryPage
	for i := len(m.versions) - 1; i >= 0; i-- {
		v := m.versions[i]
		if (q.BeforeSeq > 0 && v.Seq >= q.BeforeSeq) || (q.Type != "" && v.Type != q.Type) ||
			(q.ID != "" && v.ID != q.ID) || (!q.Since.IsZero() && v.LastUpdated.Before(q.Since)) {
			continue
		}
		if len(page.Versions) == q.Count {
			page.NextBeforeSeq = page.Versions[len(page.Versions)-1].Seq
			break
		}
		page.Versions = append(page.Versions, v)
	}
	return page, nil
}

func (m *memStore) Search(ctx context.Context, q store.Query) (store.SearchResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var all []store.Version
	for _, v := range m.current {
		if v.Type == q.Type && !v.Deleted {
			all = append(all, v)
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	res := store.SearchResult{Total: -1, MaxSeq: m.seq}
	if q.Total {
		res.Total = len(all)
	}
	for _, v := range all {
		if q.Count == 0 {
			break
		}
		if q.After != nil && v.ID <= q.After.ID {
			continue
		}
		if len(res.Matches) == q.Count {
			last := res.Matches[len(res.Matches)-1]
			res.Next = &store.Position{ID: last.ID}
			break
		}
		res.Matches = append(res.Matches, v)
	}
	return res, nil
}

func (m *memStore) Capabilities() store.Capabilities { return store.Capabilities{Transactions: true} }
func (m *memStore) Ping(ctx context.Context) error   { return nil }
func (m *memStore) Close(ctx context.Context) error  { return nil }

// Reindex keeps no index (search ignores Where): it only checks the version is current.
func (m *memStore) Reindex(ctx context.Context, typ, id string, vid int64, idx store.Index) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.current[typ+"/"+id]
	switch {
	case !ok || v.Deleted:
		return store.ErrNotFound
	case v.VersionID != vid:
		return store.ErrVersionConflict
	}
	return nil
}
