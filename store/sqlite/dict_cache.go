package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
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
func (d *dicts) ensure(ctx context.Context, conn *sql.Conn, params []paramKey, systems []string) (ids batchIDs, err error) {
	ids = batchIDs{params: make(map[paramKey]int64, len(params)), systems: make(map[string]int64, len(systems))}
	var missP jsonRows
	var missS jsonRows
	for _, k := range params {
		if id, ok := d.cachedParam(k); ok {
			ids.params[k] = id
		} else {
			missP.str(k.typ).str(k.name).end()
		}
	}
	for _, s := range systems {
		if id, ok := d.cachedSystem(s); ok {
			ids.systems[s] = id
		} else {
			missS.str(s).end()
		}
	}
	if missP.n == 0 && missS.n == 0 {
		return ids, nil
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return batchIDs{}, fmt.Errorf("sqlite: intern names: %w", err)
	}
	defer func() {
		if err != nil {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	if missP.n > 0 {
		err = queryPairs(ctx, conn, missP.String(), `INSERT INTO param(type, name)
			SELECT value->>0, value->>1 FROM json_each(?) WHERE true ON CONFLICT DO NOTHING`,
			`SELECT p.type, p.name, p.pid FROM json_each(?) j JOIN param p ON p.type = j.value->>0 AND p.name = j.value->>1`,
			func(r *sql.Rows) error {
				var k paramKey
				var id int64
				err := r.Scan(&k.typ, &k.name, &id)
				ids.params[k] = id
				return err
			})
		if err != nil {
			return batchIDs{}, fmt.Errorf("sqlite: intern parameters: %w", err)
		}
	}
	if missS.n > 0 {
		err = queryPairs(ctx, conn, missS.String(), `INSERT INTO system(uri)
			SELECT value->>0 FROM json_each(?) WHERE true ON CONFLICT DO NOTHING`,
			`SELECT s.uri, s.sid FROM json_each(?) j JOIN system s ON s.uri = j.value->>0`,
			func(r *sql.Rows) error {
				var uri string
				var id int64
				err := r.Scan(&uri, &id)
				ids.systems[uri] = id
				return err
			})
		if err != nil {
			return batchIDs{}, fmt.Errorf("sqlite: intern strings: %w", err)
		}
	}
	if _, err = conn.ExecContext(ctx, "COMMIT"); err != nil {
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

// queryPairs runs insert, then reads back with sel and scan, both given the JSON rows.
func queryPairs(ctx context.Context, conn *sql.Conn, rows, insert, sel string, scan func(*sql.Rows) error) error {
	if _, err := conn.ExecContext(ctx, insert, rows); err != nil {
		return err
	}
	r, err := conn.QueryContext(ctx, sel, rows)
	if err != nil {
		return err
	}
	defer r.Close()
	for r.Next() {
		if err := scan(r); err != nil {
			return err
		}
	}
	return r.Err()
}
