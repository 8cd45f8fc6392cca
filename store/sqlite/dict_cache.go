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

// ensure interns the given params and systems, committing them in their own transaction on the
// writer connection (a later failed write leaves harmless unused entries). The caller holds the
// writer's lock.
func (d *dicts) ensure(ctx context.Context, conn *sql.Conn, params []paramKey, systems []string) (err error) {
	var missP []paramKey
	var missS []string
	for _, k := range params {
		if _, ok := d.cachedParam(k); !ok {
			missP = append(missP, k)
		}
	}
	for _, s := range systems {
		if _, ok := d.cachedSystem(s); !ok {
			missS = append(missS, s)
		}
	}
	if len(missP) == 0 && len(missS) == 0 {
		return nil
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("sqlite: intern names: %w", err)
	}
	defer func() {
		if err != nil {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	gotP := make(map[paramKey]int64, len(missP))
	for _, k := range missP {
		var id int64
		err = conn.QueryRowContext(ctx, `INSERT INTO param(type, name) VALUES (?, ?)
			ON CONFLICT(type, name) DO UPDATE SET name = excluded.name RETURNING pid`, k.typ, k.name).Scan(&id)
		if err != nil {
			return fmt.Errorf("sqlite: intern parameter %s.%s: %w", k.typ, k.name, err)
		}
		gotP[k] = id
	}
	gotS := make(map[string]int64, len(missS))
	for _, s := range missS {
		var id int64
		err = conn.QueryRowContext(ctx, `INSERT INTO system(uri) VALUES (?)
			ON CONFLICT(uri) DO UPDATE SET uri = excluded.uri RETURNING sid`, s).Scan(&id)
		if err != nil {
			return fmt.Errorf("sqlite: intern system %q: %w", s, err)
		}
		gotS[s] = id
	}
	if _, err = conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("sqlite: intern names: %w", err)
	}
	d.mu.Lock()
	for k, id := range gotP {
		d.params[k] = id
	}
	for s, id := range gotS {
		d.systems[s] = id
	}
	d.mu.Unlock()
	return nil
}
