package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rorfhir/ror/store"
)

// Search implements store.Store. The page and the total are read in one snapshot.
func (s *Store) Search(ctx context.Context, q store.Query) (res store.SearchResult, err error) {
	if q.Type == "" {
		return store.SearchResult{}, errors.New("sqlite: search without a type")
	}
	if q.After != nil && len(q.After.Keys) != len(q.Sort) {
		return store.SearchResult{}, fmt.Errorf("sqlite: position has %d keys for %d sort keys: %w",
			len(q.After.Keys), len(q.Sort), store.ErrInvalidCursor)
	}
	res.Total = -1
	c := &compiler{ctx: ctx, q: s.read, d: s.dicts, codec: s.codec}
	base, drivers, err := c.rows("r", q.Type, q.Where)
	if err != nil {
		return store.SearchResult{}, err
	}
	bounded := boundedKey(q, drivers)
	driving := len(drivers) > 0 && !bounded
	planned := q.Count > 0 && driving // the plan reads counts and flags (see planPage)
	// A page read by one statement needs no transaction: it reads the highest Seq in its own
	// snapshot. A total, a page read in two phases, a plan that reads first, or an order that
	// reads where its keys come from (sort_source.go), shares one read transaction.
	var rd reader = s.read
	if q.Total || q.TotalCap > 0 || !singlePhase(q, driving) || planned || sortsByParam(q) {
		tx, err := s.read.BeginTx(ctx, nil)
		if err != nil {
			return store.SearchResult{}, fmt.Errorf("sqlite: search: %w", err)
		}
		defer func() { _ = tx.Rollback() }()
		rd = tx
	}
	src := source{where: base}
	if bounded && len(drivers) > 0 {
		// The page reads the sort index in its range and tests each resource: memberships
		// compiled as tests of the row, not as lists collected from their indexes.
		if src.where, err = c.walkRows("r", q.Type, q.Where); err != nil {
			return store.SearchResult{}, err
		}
	}
	var walk *walkPlan
	if planned {
		if src, walk, err = s.planPage(ctx, rd, c, q, drivers); err != nil {
			return store.SearchResult{}, err
		}
	}
	if q.MaxSeq > 0 {
		seq := func(f *frag) {
			f.sql += " AND r.seq <= ?"
			f.args = append(f.args, q.MaxSeq)
		}
		seq(&base) // the total's predicate
		if planned || bounded {
			seq(&src.where)
		} else {
			src.where = base
		}
		if walk != nil {
			seq(&walk.base)
		}
	}
	if q.Total {
		if err := total(ctx, rd, c, q, base, drivers, &res); err != nil {
			return store.SearchResult{}, err
		}
	} else if q.TotalCap > 0 { // search_estimate.go
		if err := s.estimateTotal(ctx, rd, c, q, base, &res); err != nil {
			return store.SearchResult{}, err
		}
	}
	if q.Count > 0 {
		if err := page(ctx, rd, c, q, src, driving, walk, &res); err != nil {
			return store.SearchResult{}, err
		}
	}
	if res.MaxSeq == 0 { // no row read: ask
		if err := rd.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) FROM version").Scan(&res.MaxSeq); err != nil {
			return store.SearchResult{}, fmt.Errorf("sqlite: search: %w", err)
		}
	}
	return res, nil
}

// total counts the matches of q. When q is one index membership, the index alone answers: it
// holds the values of live current versions only, under a parameter id of q's type (unless a
// snapshot hides later writes); and when that parameter never had several rows for a resource
// in its table (param.multi), its rows are counted without removing duplicates.
func total(ctx context.Context, rd reader, c *compiler, q store.Query, base frag, drivers []driver, res *store.SearchResult) error {
	count := frag{sql: "SELECT count(*) FROM resource r WHERE " + base.sql, args: base.args}
	if len(drivers) == 1 && len(q.Where) == 1 {
		fromIndex := q.MaxSeq == 0
		if !fromIndex {
			var maxSeq int64
			if err := rd.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) FROM version").Scan(&maxSeq); err != nil {
				return fmt.Errorf("sqlite: search total: %w", err)
			}
			fromIndex = q.MaxSeq >= maxSeq
		}
		if fromIndex {
			d := drivers[0].in
			distinct, err := severalRows(ctx, rd, c, q)
			if err != nil {
				return err
			}
			if distinct {
				count = frag{sql: "SELECT count(DISTINCT rid) FROM (" + d.sql + ")", args: d.args}
			} else {
				count = frag{sql: "SELECT count(*) FROM (" + d.sql + ")", args: d.args}
			}
		}
	}
	if err := rd.QueryRowContext(ctx, count.sql, count.args...).Scan(&res.Total); err != nil {
		return fmt.Errorf("sqlite: search total: %w", err)
	}
	return nil
}

// severalRows says whether the single index membership of q may select a resource more than
// once: several conditions, alternatives, or a parameter that had several rows for a resource.
func severalRows(ctx context.Context, rd reader, c *compiler, q store.Query) (bool, error) {
	if len(q.Where[0].Any) != 1 {
		return true, nil
	}
	cond := q.Where[0].Any[0]
	if cond.Kind == store.KindOr {
		return true, nil
	}
	return multiRows(ctx, rd, c, q.Type, cond)
}

// multiRows says whether some resource of typ has had several rows of cond's parameter in the
// index table of cond (param.multi).
func multiRows(ctx context.Context, rd reader, c *compiler, typ string, cond store.Cond) (bool, error) {
	tbl, err := table(cond)
	if err != nil {
		return false, err
	}
	t := slices.Index(indexTables(), tbl)
	pid, err := c.d.param(ctx, rd, typ, cond.Param)
	if err != nil {
		return false, err
	}
	var bits int64
	if err := rd.QueryRowContext(ctx, "SELECT coalesce((SELECT multi FROM param WHERE pid = ?), 0)", pid).Scan(&bits); err != nil {
		return false, fmt.Errorf("sqlite: search: %w", err)
	}
	return t < 0 || bits&(1<<t) != 0, nil
}

// reader is what a search reads through: the pool, or one read transaction.
type reader interface {
	querier
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// boundedKey says whether the page of q is read from the index of its first sort key, in the
// range its bounds give (SortKey.KeyMin, KeyMax): the key is a parameter with a bound, and
// every driving index membership is on that parameter (a _lastUpdated lower bound sorted by
// _lastUpdated: the page is the first Count+1 entries of the range that pass the tests, where
// driving from the membership would read and sort every match). A membership on another
// parameter may select far fewer resources than the range holds: the planner decides then.
func boundedKey(q store.Query, drivers []driver) bool {
	if !hasKeyBounds(q) || q.Sort[0].Param == "_id" || q.Sort[0].Near != nil {
		return false
	}
	for _, d := range drivers {
		cl := q.Where[d.clause]
		if len(cl.Any) != 1 || cl.Any[0].Param != q.Sort[0].Param {
			return false
		}
	}
	return true
}

// hasKeyBounds says whether q's first sort key has bounds: every match has that key.
func hasKeyBounds(q store.Query) bool {
	return len(q.Sort) > 0 && (q.Sort[0].KeyMin != nil || q.Sort[0].KeyMax != nil)
}

// sortsByParam says whether q is ordered by a parameter's sort keys.
func sortsByParam(q store.Query) bool {
	for _, k := range q.Sort {
		if k.Param != "_id" && k.Near == nil {
			return true
		}
	}
	return false
}

// singlePhase says whether the page is read by one statement (see page).
func singlePhase(q store.Query, driving bool) bool {
	return len(q.Sort) == 0 || q.Sort[0].Param == "_id" || driving || nearFirst(q)
}

// match is one row of a page query: a version and its sort key values.
type match struct {
	v    store.Version
	keys []*string
}

// page reads one page of matches of src in the query's order, after q.After. With a walk plan, it
// walks the resources in id order (readWalk), then reads src past the walk's window. When the first sort key is a parameter and no index
// condition drives the search, it reads in two phases: the resources having that key, in the
// order of its index (cheap first pages), then those without it.
func page(ctx context.Context, rd reader, c *compiler, q store.Query, src source, driving bool, walk *walkPlan, res *store.SearchResult) error {
	var ms []match
	readBase := func(src source, mode pageMode, limit int) error {
		pq, err := pageSQL(ctx, rd, c, q, src, mode, limit)
		if err != nil {
			return err
		}
		got, maxSeq, err := readMatches(ctx, rd, c.codec, q.Type, len(q.Sort), pq)
		inOrder(q.Sort, got)
		ms = append(ms, got...)
		res.MaxSeq = max(res.MaxSeq, maxSeq)
		return err
	}
	read := func(mode pageMode, limit int) error { return readBase(src, mode, limit) }
	switch {
	case walk != nil:
		err := readWalk(ctx, rd, q, src, *walk,
			func(src source, limit int) error { return readBase(src, modeAll, limit) }, func() int { return len(ms) })
		if err != nil {
			return err
		}
	case singlePhase(q, driving):
		if err := read(modeAll, q.Count+1); err != nil {
			return err
		}
	default:
		if q.After == nil || q.After.Keys[0] != nil {
			if err := read(modeKeyed, q.Count+1); err != nil {
				return err
			}
		}
		if len(ms) <= q.Count && !hasKeyBounds(q) { // with bounds, every match has the key
			if err := read(modeMissing, q.Count+1-len(ms)); err != nil {
				return err
			}
		}
	}
	for i, m := range ms {
		if i == q.Count {
			last := ms[i-1]
			res.Next = &store.Position{ID: last.v.ID, Keys: last.keys}
			break
		}
		res.Matches = append(res.Matches, m.v)
	}
	return nil
}

// inOrder puts ms in the order of keys (each key's values byte-wise, descending when asked,
// missing ones last in either direction; then the id), the order the page query reads them in.
func inOrder(keys []store.SortKey, ms []match) {
	cmp := func(a, b match) int {
		for i, k := range keys {
			x, y := a.keys[i], b.keys[i]
			switch {
			case x == nil && y == nil:
				continue
			case x == nil:
				return 1
			case y == nil:
				return -1
			}
			if c := strings.Compare(*x, *y); c != 0 {
				if k.Desc {
					return -c
				}
				return c
			}
		}
		return strings.Compare(a.v.ID, b.v.ID)
	}
	if !slices.IsSortedFunc(ms, cmp) {
		slices.SortStableFunc(ms, cmp)
	}
}

// readMatches runs a page query; maxSeq is the highest Seq of the store it saw (0 without rows).
func readMatches(ctx context.Context, rd reader, codec *bodyCodec, typ string, nkeys int, pq frag) (out []match, maxSeq int64, err error) {
	rows, err := rd.QueryContext(ctx, pq.sql, pq.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: search: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		m := match{v: store.Version{Type: typ}, keys: make([]*string, nkeys)}
		var ms, enc int64
		kv := make([]sql.NullString, nkeys)
		dst := []any{&m.v.ID, &m.v.VersionID, &m.v.Seq, &ms, &m.v.Body, &enc}
		for i := range kv {
			dst = append(dst, &kv[i])
		}
		dst = append(dst, &maxSeq)
		if err := rows.Scan(dst...); err != nil {
			return nil, 0, fmt.Errorf("sqlite: search: %w", err)
		}
		m.v.LastUpdated = msTime(ms)
		b, err := codec.unpack(m.v.Body, enc)
		if err != nil {
			return nil, 0, err
		}
		m.v.Body = bodyOf(false, b)
		for i, k := range kv {
			if k.Valid {
				m.keys[i] = &k.String
			}
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("sqlite: search: %w", err)
	}
	return out, maxSeq, nil
}
