package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/rorfhir/ror/store"
)

// sortExpr is one ORDER BY key: an SQL expression that may be NULL (missing values sort last).
type sortExpr struct {
	expr string
	desc bool
}

// Search implements store.Store. The page and the total are read in one snapshot.
func (s *Store) Search(ctx context.Context, q store.Query) (res store.SearchResult, err error) {
	if q.Type == "" {
		return store.SearchResult{}, errors.New("sqlite: search without a type")
	}
	if q.After != nil && len(q.After.Keys) != len(q.Sort) {
		return store.SearchResult{}, fmt.Errorf("sqlite: position has %d keys for %d sort keys: %w",
			len(q.After.Keys), len(q.Sort), store.ErrInvalidCursor)
	}
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return store.SearchResult{}, fmt.Errorf("sqlite: search: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	res.Total = -1
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) FROM version").Scan(&res.MaxSeq); err != nil {
		return store.SearchResult{}, fmt.Errorf("sqlite: search: %w", err)
	}
	c := &compiler{ctx: ctx, q: tx, d: s.dicts}
	where, err := c.where("r", q.Type, q.Where)
	if err != nil {
		return store.SearchResult{}, err
	}
	base := frag{sql: "r.type = ? AND r.deleted = 0 AND " + where.sql, args: append([]any{q.Type}, where.args...)}
	if q.MaxSeq > 0 {
		base.sql += " AND r.seq <= ?"
		base.args = append(base.args, q.MaxSeq)
	}
	if q.Total {
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM resource r WHERE "+base.sql, base.args...).Scan(&res.Total); err != nil {
			return store.SearchResult{}, fmt.Errorf("sqlite: search total: %w", err)
		}
	}
	if q.Count <= 0 {
		return res, nil
	}
	if err := s.page(ctx, tx, c, q, base, &res); err != nil {
		return store.SearchResult{}, err
	}
	return res, nil
}

// page reads one page of matches in the query's order, after q.After.
func (s *Store) page(ctx context.Context, tx *sql.Tx, c *compiler, q store.Query, base frag, res *store.SearchResult) error {
	var joins []string
	var joinArgs []any
	keys := make([]sortExpr, len(q.Sort))
	for i, k := range q.Sort {
		if k.Param == "_id" {
			keys[i] = sortExpr{expr: "r.id", desc: k.Desc}
			continue
		}
		pid, err := c.d.param(ctx, tx, q.Type, k.Param)
		if err != nil {
			return err
		}
		a := fmt.Sprintf("s%d", i)
		joins = append(joins, "LEFT JOIN ix_sort "+a+" ON "+a+".rid = r.rid AND "+a+".pid = ?")
		joinArgs = append(joinArgs, pid)
		keys[i] = sortExpr{expr: a + ".key", desc: k.Desc}
	}
	var sel, order []string
	for _, k := range keys {
		sel = append(sel, k.expr)
		dir := ""
		if k.desc {
			dir = " DESC"
		}
		order = append(order, k.expr+" IS NULL", k.expr+dir)
	}
	order = append(order, "r.id")
	cond := base
	if q.After != nil {
		f := after(keys, q.After)
		cond.sql += " AND " + f.sql
		cond.args = append(append([]any{}, cond.args...), f.args...)
	}
	sqlq := "SELECT r.id, r.vid, r.seq, v.last_updated, v.body"
	for _, e := range sel {
		sqlq += ", " + e
	}
	sqlq += " FROM resource r " + strings.Join(joins, " ") + " JOIN version v ON v.seq = r.seq WHERE " + cond.sql +
		" ORDER BY " + strings.Join(order, ", ") + " LIMIT ?"
	args := append(append(joinArgs, cond.args...), q.Count+1)
	rows, err := tx.QueryContext(ctx, sqlq, args...)
	if err != nil {
		return fmt.Errorf("sqlite: search: %w", err)
	}
	defer rows.Close()
	var last *store.Position
	for rows.Next() {
		if len(res.Matches) == q.Count {
			res.Next = last
			break
		}
		v := store.Version{Type: q.Type}
		var ms int64
		kv := make([]sql.NullString, len(keys))
		dst := []any{&v.ID, &v.VersionID, &v.Seq, &ms, &v.Body}
		for i := range kv {
			dst = append(dst, &kv[i])
		}
		if err := rows.Scan(dst...); err != nil {
			return fmt.Errorf("sqlite: search: %w", err)
		}
		v.LastUpdated = msTime(ms)
		v.Body = bodyOf(false, v.Body)
		res.Matches = append(res.Matches, v)
		last = &store.Position{ID: v.ID, Keys: make([]*string, len(kv))}
		for i, k := range kv {
			if k.Valid {
				last.Keys[i] = &k.String
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: search: %w", err)
	}
	return nil
}

// after compiles "strictly after pos in the order of keys, then r.id ascending", with missing
// (NULL) keys last in either direction.
func after(keys []sortExpr, pos *store.Position) frag {
	var terms []string
	var args []any
	var eq []string
	var eqArgs []any
	for i, k := range keys {
		p := pos.Keys[i]
		if p != nil { // a missing value has nothing strictly after it on this key
			cmp := " > ?"
			if k.desc {
				cmp = " < ?"
			}
			t := append(append([]string{}, eq...), "("+k.expr+cmp+" OR "+k.expr+" IS NULL)")
			terms = append(terms, "("+strings.Join(t, " AND ")+")")
			args = append(append(args, eqArgs...), *p)
			eq = append(eq, k.expr+" = ?")
			eqArgs = append(eqArgs, *p)
		} else {
			eq = append(eq, k.expr+" IS NULL")
		}
	}
	terms = append(terms, "("+strings.Join(append(append([]string{}, eq...), "r.id > ?"), " AND ")+")")
	args = append(append(args, eqArgs...), pos.ID)
	return frag{sql: "(" + strings.Join(terms, " OR ") + ")", args: args}
}
