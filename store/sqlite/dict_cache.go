package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	zsqlite "zombiezen.com/go/sqlite"
)

// paramKey names a search parameter of a resource type; the pair is interned as a small integer
// (pid) so that index rows carry neither the type nor the parameter name.
type paramKey struct{ typ, name string }

// dicts caches the param and system dictionaries. Entries are only added once committed, and
// never change: a cached id is valid forever. A name without an id matches nothing (-1).
type dicts struct {
	mu      sync.RWMutex
	params  map[paramKey]int64
	systems map[string]int64
}

func newDicts() *dicts {
	return &dicts{params: map[paramKey]int64{}, systems: map[string]int64{"": 0}}
}

// noID is used in queries for a name that has no id: it matches no index row.
const noID = -1

func (d *dicts) cachedParam(k paramKey) (int64, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	id, ok := d.params[k]
	return id, ok
}

func (d *dicts) cachedSystem(s string) (int64, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	id, ok := d.systems[s]
	return id, ok
}

// querier is what lookups need from *sql.DB, *sql.Conn or *sql.Tx.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// param returns the pid of (typ, name), or noID when no resource ever had that parameter.
func (d *dicts) param(ctx context.Context, q querier, typ, name string) (int64, error) {
	k := paramKey{typ, name}
	if id, ok := d.cachedParam(k); ok {
		return id, nil
	}
	var id int64
	err := q.QueryRowContext(ctx, "SELECT pid FROM param WHERE type = ? AND name = ?", typ, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return noID, nil
	}
	if err != nil {
		return 0, fmt.Errorf("sqlite: look up parameter %s.%s: %w", typ, name, err)
	}
	d.mu.Lock()
	d.params[k] = id
	d.mu.Unlock()
	return id, nil
}

// system returns the sid of a token system, or noID when no token ever had it.
func (d *dicts) system(ctx context.Context, q querier, uri string) (int64, error) {
	if id, ok := d.cachedSystem(uri); ok {
		return id, nil
	}
	var id int64
	err := q.QueryRowContext(ctx, "SELECT sid FROM system WHERE uri = ?", uri).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return noID, nil
	}
	if err != nil {
		return 0, fmt.Errorf("sqlite: look up system %q: %w", uri, err)
	}
	d.mu.Lock()
	d.systems[uri] = id
	d.mu.Unlock()
	return id, nil
}

// maxCachedSystems caps the cached strings of table system (token systems and URIs): beyond it,
// strings are still interned but looked up in the database.
const maxCachedSystems = 100_000

// batchIDs are the ids of the names one batch of writes uses.
type batchIDs struct {
	params  map[paramKey]int64
	systems map[string]int64
}

// ensure interns the given params and strings, committing them in their own transaction on the
// writer connection (a later failed write leaves harmless unused entries), and returns their ids.
// The caller holds the writer's lock.
func (d *dicts) ensure(w *writer, params []paramKey, systems []string) (ids batchIDs, err error) {
	ids = batchIDs{params: make(map[paramKey]int64, len(params)), systems: make(map[string]int64, len(systems))}
	var missP []paramKey
	var missS []string
	for _, k := range params {
		if id, ok := d.cachedParam(k); ok {
			ids.params[k] = id
		} else {
			missP = append(missP, k)
		}
	}
	for _, s := range systems {
		if id, ok := d.cachedSystem(s); ok {
			ids.systems[s] = id
		} else {
			missS = append(missS, s)
		}
	}
	if len(missP) == 0 && len(missS) == 0 {
		return ids, nil
	}
	if err := w.begin(); err != nil {
		return batchIDs{}, fmt.Errorf("sqlite: intern names: %w", err)
	}
	defer func() {
		if err != nil {
			w.rollback()
		}
	}()
	for _, k := range missP {
		if err = w.exec("INSERT INTO param(type, name, sortsrc) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", k.typ, k.name, int64(sortUnset)); err == nil {
			err = w.query("SELECT pid FROM param WHERE type = ? AND name = ?", func(st *zsqlite.Stmt) error {
				ids.params[k] = st.ColumnInt64(0)
				return nil
			}, k.typ, k.name)
		}
		if err != nil {
			return batchIDs{}, fmt.Errorf("sqlite: intern parameter %s.%s: %w", k.typ, k.name, err)
		}
	}
	for _, s := range missS {
		if err = w.exec("INSERT INTO system(uri) VALUES (?) ON CONFLICT DO NOTHING", s); err == nil {
			err = w.query("SELECT sid FROM system WHERE uri = ?", func(st *zsqlite.Stmt) error {
				ids.systems[s] = st.ColumnInt64(0)
				return nil
			}, s)
		}
		if err != nil {
			return batchIDs{}, fmt.Errorf("sqlite: intern string %q: %w", s, err)
		}
	}
	if err = w.commit(); err != nil {
		return batchIDs{}, fmt.Errorf("sqlite: intern names: %w", err)
	}
	d.mu.Lock()
	for k, id := range ids.params {
		d.params[k] = id
	}
	for s, id := range ids.systems {
		if len(d.systems) < maxCachedSystems {
			d.systems[s] = id
		}
	}
	d.mu.Unlock()
	return ids, nil
}
