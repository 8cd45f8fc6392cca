package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/rorfhir/ror/store"
)

// A page in id order of a broad search is cheaper to read by walking the resources of the type
// in id order, testing each one, until the page is full, than by collecting every match from the
// index and sorting them all: with M matches among N resources, the walk tests about
// (Count+1)·N/M resources where the index plan reads and sorts M. The planner (planWalk) counts
// the matches of each driving index membership up to the point where the walk pays, and walks
// only then. Because matches may cluster in id order (FINESS ids start with the département),
// the walk is bounded to a window of the id order; past it, the page goes on from the index.

// walkCost is the cost of testing one resource of the walk, in units of one match read from an
// index and sorted (measured on the national FINESS data).
const walkCost = 4

// walkPlan is a decision to walk: at most window resources of the type, in id order.
type walkPlan struct {
	base   frag // the query's predicate on row r, made of tests of r (compiler.walkRows)
	window int
}

// idOrder says whether the query's order is the plain id order that the walk follows.
func idOrder(q store.Query) bool {
	return len(q.Sort) == 0 || (len(q.Sort) == 1 && q.Sort[0].Param == "_id" && !q.Sort[0].Desc)
}

// planPage decides how the page of q is read, given the subqueries of its driving index
// memberships: from the index, driven by the driver with the fewest matches (each counted up to
// the walk's threshold) whose rows are joined to the resource rows when they select each resource
// once (uniqueRows), every other clause tested on the row; and, for a page in id order with
// enough matches, first by a walk of the type in id order (see planWalk).
func (s *Store) planPage(ctx context.Context, rd reader, c *compiler, q store.Query, drivers []driver) (source, *walkPlan, error) {
	walk, window, best, err := s.planWalk(ctx, rd, q, drivers)
	if err != nil {
		return source{}, nil, err
	}
	d := drivers[best]
	join, err := uniqueRows(ctx, rd, c, q.Type, d)
	if err != nil {
		return source{}, nil, err
	}
	where, err := c.drivenRows("r", q.Type, q.Where, d.clause, join)
	if err != nil {
		return source{}, nil, err
	}
	src := source{where: where}
	if join {
		src.drive = &d.in
	}
	if !walk {
		return src, nil, nil
	}
	wb, err := c.walkRows("r", q.Type, q.Where)
	if err != nil {
		return source{}, nil, err
	}
	return src, &walkPlan{base: wb, window: window}, nil
}

// planWalk decides between the index plan and a walk for the page of q, given the subqueries of
// its driving index memberships; window is the walk's bound, best the driver with the fewest
// matches (counted up to the walk's threshold; counted only when there is a choice to make).
func (s *Store) planWalk(ctx context.Context, rd reader, q store.Query, drivers []driver) (walk bool, window, best int, err error) {
	n := s.counts.get(q.Type)
	k := q.Count + 1
	// The walk pays when walkCost·k·N/M < M: M above threshold.
	threshold := int(math.Sqrt(float64(walkCost)*float64(k)*float64(n))) + 1
	walk = idOrder(q) && threshold < n
	if len(drivers) == 1 && drivers[0].ids > 0 && drivers[0].ids < threshold {
		walk = false // a list of ids (an _include) matches too few: no count needed
	}
	if !walk && len(drivers) < 2 {
		return false, 0, 0, nil
	}
	fewest := math.MaxInt
	for i, d := range drivers {
		var m int
		err := rd.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM ("+d.est.sql+") LIMIT ?)",
			append(append([]any{}, d.est.args...), threshold)...).Scan(&m)
		if err != nil {
			return false, 0, 0, fmt.Errorf("sqlite: search: %w", err)
		}
		if m < fewest {
			best, fewest = i, m
		}
		if m < threshold {
			walk = false
		}
		if m == 0 {
			break
		}
	}
	if !walk {
		return false, 0, best, nil
	}
	// With M >= threshold the walk expects at most k·N/threshold resources; allow twice that.
	return true, 2 * k * n / threshold, best, nil
}

// uniqueRows says whether the rows of driver d select each resource at most once, so that they
// can be joined to the resource rows without collecting them into a temporary table to remove
// duplicates: one condition on one index table whose values fix the rest of the table's key for
// a resource (a token with its system, a reference to Type/id or to a URL, a URI), or whose
// parameter never had several rows for a resource in that table (param.multi).
func uniqueRows(ctx context.Context, rd reader, c *compiler, typ string, d driver) (bool, error) {
	if d.one == nil || d.one.Kind == store.KindOr || d.one.Kind == store.KindHas {
		return false, nil
	}
	cond := *d.one
	if d.ids > 0 { // a resource has one _id: equalities on it select it once
		return true, nil
	}
	if !d.list {
		switch {
		case cond.Kind == store.KindToken && cond.Op == store.OpEq && !cond.AnyCode && !cond.AnySystem,
			cond.Kind == store.KindReference && cond.Op == store.OpEq && cond.Target == nil && (cond.URL != "" || cond.ID != "" && cond.Type != ""),
			cond.Kind == store.KindURI && cond.Op == store.OpEq:
			return true, nil
		}
	}
	multi, err := multiRows(ctx, rd, c, typ, cond)
	return !multi, err
}

// readWalk reads the page of q (in id order) by walking at most w.window resources from
// q.After, then, when the page is not full, from src past the window.
func readWalk(ctx context.Context, rd reader, q store.Query, src source, w walkPlan, read func(source, int) error, got func() int) error {
	args := []any{q.Type}
	from := "SELECT id FROM resource WHERE type = ?"
	if q.After != nil {
		from += " AND id > ?"
		args = append(args, q.After.ID)
	}
	var end string
	err := rd.QueryRowContext(ctx, from+" ORDER BY id LIMIT 1 OFFSET ?", append(args, w.window)...).Scan(&end)
	bounded := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("sqlite: search: %w", err)
	}
	base := w.base
	if bounded {
		base = frag{sql: base.sql + " AND r.id < ?", args: append(append([]any{}, base.args...), end)}
	}
	k := q.Count + 1
	if err := read(source{where: base}, k); err != nil {
		return err
	}
	if n := got(); bounded && n < k {
		rest := source{drive: src.drive, where: frag{sql: src.where.sql + " AND r.id >= ?", args: append(append([]any{}, src.where.args...), end)}}
		return read(rest, k-n)
	}
	return nil
}

// typeCounts holds the number of resources of each type (deleted included), an estimate for
// planWalk: counted when the store opens, then raised by each committed creation.
type typeCounts struct {
	mu sync.Mutex
	m  map[string]int
}

// load counts the resources of every type.
func (t *typeCounts) load(ctx context.Context, q reader) error {
	rows, err := q.QueryContext(ctx, "SELECT type, count(*) FROM resource GROUP BY type")
	if err != nil {
		return fmt.Errorf("sqlite: count resources: %w", err)
	}
	defer rows.Close()
	m := map[string]int{}
	for rows.Next() {
		var typ string
		var n int
		if err := rows.Scan(&typ, &n); err != nil {
			return fmt.Errorf("sqlite: count resources: %w", err)
		}
		m[typ] = n
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: count resources: %w", err)
	}
	t.mu.Lock()
	t.m = m
	t.mu.Unlock()
	return nil
}

// created adds the resources created by committed writes (version 1).
func (t *typeCounts) created(ws []store.Write, errs []error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[string]int{}
	}
	for i, w := range ws {
		if w.VersionID == 1 && (errs == nil || errs[i] == nil) {
			t.m[w.Type]++
		}
	}
}

func (t *typeCounts) get(typ string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.m[typ]
}
