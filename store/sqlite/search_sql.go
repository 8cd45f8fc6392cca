package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/rorfhir/ror/store"
)

// sortExpr is one ORDER BY key: an SQL expression that may be NULL (missing values sort last).
type sortExpr struct {
	expr string
	desc bool
}

// pageMode says which resources a page query reads.
type pageMode int

const (
	modeAll     pageMode = iota // every match, in the full order
	modeKeyed                   // matches having the first sort key, read through its index
	modeMissing                 // matches without the first sort key
	modeWalk                    // (tests) a walk's page: every match in id order, tested one by one
)

// source is where a page query reads its resource rows r: the rows of the resource table that
// satisfy where, or, with drive, the index rows that drive selects ("SELECT x.rid ...", each
// resource at most once) joined to their resource rows, then where.
type source struct {
	drive *frag
	where frag
}

// pageSQL builds a page query: matches in the query's order after q.After, with their bodies and
// sort key values, at most limit rows.
func pageSQL(ctx context.Context, tx querier, c *compiler, q store.Query, src source, mode pageMode, limit int) (frag, error) {
	base := src.where
	var from string
	var joins []string
	var fromArgs, joinArgs []any
	keys := make([]sortExpr, len(q.Sort))
	for i, k := range q.Sort {
		if k.Param == "_id" {
			keys[i] = sortExpr{expr: "r.id", desc: k.Desc}
			continue
		}
		if k.Near != nil { // a distance (search_near.go)
			join, args, expr, err := nearSortKey(ctx, tx, c, q.Type, i, k)
			if err != nil {
				return frag{}, err
			}
			joins = append(joins, join)
			joinArgs = append(joinArgs, args...)
			keys[i] = sortExpr{expr: expr, desc: k.Desc}
			continue
		}
		pid, err := c.d.param(ctx, tx, q.Type, k.Param)
		if err != nil {
			return frag{}, err
		}
		ss, err := readSortSource(ctx, tx, pid)
		if err != nil {
			return frag{}, err
		}
		a := fmt.Sprintf("s%d", i)
		keys[i] = sortExpr{expr: a + ".key", desc: k.Desc}
		switch {
		case i == 0 && mode == modeKeyed && ss.derived: // the value index drives, each resource at its least value
			from = ss.tbl + " s0 CROSS JOIN resource r ON r.rid = s0.rid"
			keys[i].expr = "s0." + ss.col
			least := "s0.pid = ?"
			if ss.several {
				least += fmt.Sprintf(" AND s0.%[1]s = (SELECT min(m.%[1]s) FROM %[2]s m WHERE m.rid = s0.rid AND m.pid = s0.pid)"+
					" AND s0.%[3]s = (SELECT min(m.%[3]s) FROM %[2]s m WHERE m.rid = s0.rid AND m.pid = s0.pid AND m.%[1]s = s0.%[1]s)",
					ss.col, ss.tbl, ss.tie)
			}
			base = frag{sql: least + " AND " + base.sql, args: append([]any{pid}, base.args...)}
		case i == 0 && mode == modeKeyed: // the sort index drives: CROSS JOIN keeps it the outer loop
			from = "ix_sort s0 CROSS JOIN resource r ON r.rid = s0.rid"
			base = frag{sql: "s0.pid = ? AND " + base.sql, args: append([]any{pid}, base.args...)}
		case i == 0 && mode == modeMissing:
			tbl := "ix_sort"
			if ss.derived {
				tbl = ss.tbl
			}
			keys[i].expr = "NULL"
			base = frag{sql: "NOT EXISTS (SELECT 1 FROM " + tbl + " m WHERE m.rid = r.rid AND m.pid = ?) AND " + base.sql,
				args: append([]any{pid}, base.args...)}
		case ss.derived: // pid is our own integer: inlined, as the expression is repeated
			keys[i].expr = fmt.Sprintf("(SELECT min(m.%s) FROM %s m WHERE m.rid = r.rid AND m.pid = %d)", ss.col, ss.tbl, pid)
		default:
			joins = append(joins, "LEFT JOIN ix_sort "+a+" ON "+a+".rid = r.rid AND "+a+".pid = ?")
			joinArgs = append(joinArgs, pid)
		}
	}
	switch {
	case from == "" && src.drive != nil: // CROSS JOIN: the index drives, SQLite does not reorder
		from = "(" + src.drive.sql + ") dx CROSS JOIN resource r ON r.rid = dx.rid"
		fromArgs = src.drive.args
	case from == "":
		from = "resource r"
	case src.drive != nil:
		return frag{}, fmt.Errorf("sqlite: search: a driven page read in sort index order")
	}
	var sel, order []string
	for i, k := range keys {
		sel = append(sel, k.expr)
		dir := ""
		if k.desc {
			dir = " DESC"
		}
		switch {
		case i == 0 && mode == modeKeyed:
			order = append(order, k.expr+dir) // never NULL: the index order serves
		case i == 0 && mode == modeMissing: // always NULL
		default:
			order = append(order, k.expr+" IS NULL", k.expr+dir)
		}
	}
	order = append(order, "r.id")
	cond := base
	if q.After != nil && !(mode == modeMissing && q.After.Keys[0] != nil) {
		f := after(keys, q.After)
		cond = frag{sql: cond.sql + " AND " + f.sql, args: append(append([]any{}, cond.args...), f.args...)}
	}
	if mode == modeKeyed { // the range the index is read in: from the keyset and the key's bounds
		lo, hi := keyRange(q)
		if lo != nil {
			cond = frag{sql: cond.sql + " AND " + keys[0].expr + " >= ?", args: append(cond.args, *lo)}
		}
		if hi != nil {
			cond = frag{sql: cond.sql + " AND " + keys[0].expr + " <= ?", args: append(cond.args, *hi)}
		}
	}
	// The matches are ordered and cut without their bodies; only the page's bodies are read.
	// The bodies are joined in the order of the page (its co-routine is the outer loop), with no
	// ORDER BY, which would copy every body into a sorter: readMatches checks the order.
	inner := "SELECT r.rid AS rid, r.id AS id, r.vid AS vid, r.seq AS seq"
	outer := "SELECT p.id, p.vid, p.seq, v.last_updated, v.body, v.enc"
	for i, e := range sel {
		k := fmt.Sprintf("k%d", i)
		inner += ", " + e + " AS " + k
		outer += ", p." + k
	}
	inner += " FROM " + from + " " + strings.Join(joins, " ") + " WHERE " + cond.sql +
		" ORDER BY " + strings.Join(order, ", ") + " LIMIT ?"
	sqlq := outer + ", (SELECT max(seq) FROM version) FROM (" + inner + ") p CROSS JOIN version v ON v.seq = p.seq"
	args := append(append(append(fromArgs, joinArgs...), cond.args...), limit)
	return frag{sql: sqlq, args: args}, nil
}

// keyRange is the range of the first sort key that the matches after q.After can have: its
// bounds (SortKey.KeyMin, KeyMax) narrowed by the keyset position (implied by it: the index
// seeks instead of scanning from the start). nil: no bound on that side.
func keyRange(q store.Query) (lo, hi *string) {
	k := q.Sort[0]
	lo, hi = k.KeyMin, k.KeyMax
	if q.After != nil && q.After.Keys[0] != nil {
		at := q.After.Keys[0]
		if !k.Desc && (lo == nil || *at > *lo) {
			lo = at
		}
		if k.Desc && (hi == nil || *at < *hi) {
			hi = at
		}
	}
	return lo, hi
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
