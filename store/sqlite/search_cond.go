package sqlite

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/rorfhir/ror/store"
)

// compiler turns store.Query clauses into SQL predicates over a resource row alias. Every user
// value becomes a bound parameter; only aliases, table and column names are spliced in.
type compiler struct {
	ctx   context.Context
	q     querier
	d     *dicts
	codec *bodyCodec
	alias int // counter for the aliases of nested resource rows (chains)
	// walk compiles index memberships as correlated EXISTS tests of one resource row rather
	// than as IN lists collected from the index (see walkRows).
	walk bool
	// approx leaves out the exact distance of near (its bounding box remains): for the
	// estimates of planWalk, which count matches.
	approx bool
}

// frag is a piece of SQL with its bound arguments.
type frag struct {
	sql  string
	args []any
}

// driver is a clause that is a plain index membership: in selects the rids of its matches
// ("SELECT rid ..."), est an approximation of in, cheaper to count (planWalk).
type driver struct {
	in, est frag
	clause  int // its index in the query's clauses
	// one is set when in is one SELECT of one index table for one condition (or for the list of
	// equalities one merged in inLists, list): whether it can select a resource twice then
	// depends only on that condition (see uniqueRows).
	one  *store.Cond
	list bool
	// ids, when > 0, bounds the matches: in is that many equalities on _id (one resource each).
	ids int
}

// rows compiles "row alias r is a live resource of type typ satisfying clauses", to be driven
// from the indexes. When a clause is a plain index membership, the type test is hidden from the
// planner (unary +) so that SQLite drives the search from that index rather than from every
// resource of the type; drivers are those memberships, empty when no
// clause is one.
func (c *compiler) rows(r, typ string, clauses []store.Clause) (f frag, drivers []driver, err error) {
	walk := c.walk
	c.walk = false
	defer func() { c.walk = walk }()
	return c.build(r, typ, clauses)
}

// drivenRows compiles the same predicate as rows for a plan driven by the index rows of
// clauses[d] alone: that clause is left out when join (its rows are joined to r, see
// source.drive) or kept as an IN list, and every other clause is a correlated test of row r (as
// walkRows compiles it), so that no other index is collected into a temporary table.
func (c *compiler) drivenRows(r, typ string, clauses []store.Clause, d int, join bool) (frag, error) {
	walk := c.walk
	defer func() { c.walk = walk }()
	parts := []string{"+" + r + ".type = ?", r + ".deleted = 0"}
	args := []any{typ}
	for i, cl := range clauses {
		if i == d && join {
			continue
		}
		c.walk = i != d
		f, _, err := c.clause(r, typ, cl)
		if err != nil {
			return frag{}, err
		}
		parts = append(parts, f.sql)
		args = append(args, f.args...)
	}
	return frag{sql: strings.Join(parts, " AND "), args: args}, nil
}

// walkRows compiles the same predicate as rows for a plan that walks the resources of typ in id
// order and tests each one (cheap when many match: the page is full after a few rows); nested
// chains and reverse chains still read their indexes.
func (c *compiler) walkRows(r, typ string, clauses []store.Clause) (frag, error) {
	walk := c.walk
	c.walk = true
	defer func() { c.walk = walk }()
	f, _, err := c.build(r, typ, clauses)
	return f, err
}

func (c *compiler) build(r, typ string, clauses []store.Clause) (f frag, drivers []driver, err error) {
	var parts []string
	args := []any{typ}
	for i, cl := range clauses {
		f, drv, err := c.clause(r, typ, cl)
		if err != nil {
			return frag{}, nil, err
		}
		if drv != nil {
			drv.clause = i
			drivers = append(drivers, *drv)
		}
		parts = append(parts, f.sql)
		args = append(args, f.args...)
	}
	typeTest := r + ".type = ?"
	if len(drivers) > 0 {
		typeTest = "+" + typeTest
	}
	parts = append([]string{typeTest, r + ".deleted = 0"}, parts...)
	return frag{sql: strings.Join(parts, " AND "), args: args}, drivers, nil
}

// clause compiles one OR of conditions. Positive conditions on index tables are merged into one
// IN over a UNION ALL so that SQLite can drive the search from the index; when the whole clause
// is such an IN, drv is its subquery. In walk mode every condition is a test of row r.
func (c *compiler) clause(r, typ string, cl store.Clause) (f frag, drv *driver, err error) {
	if len(cl.Any) == 0 {
		return frag{sql: "1"}, nil, nil
	}
	var ors []string
	var args []any
	var subs []string
	var subArgs []any
	var one *store.Cond // the condition of the last sub
	list := false
	conds := cl.Any
	if !c.walk {
		lists, rest, err := c.inLists(typ, conds)
		if err != nil {
			return frag{}, nil, err
		}
		for _, l := range lists {
			subs = append(subs, l.sql)
			subArgs = append(subArgs, l.args...)
			one, list = &l.cond, true
		}
		conds = rest
	}
	for _, cond := range conds {
		if !c.walk {
			sub, ok, err := c.positive(typ, cond)
			if err != nil {
				return frag{}, nil, err
			}
			if ok {
				subs = append(subs, sub.sql)
				subArgs = append(subArgs, sub.args...)
				one, list = &cond, false
				continue
			}
		}
		f, err := c.cond(r, typ, cond)
		if err != nil {
			return frag{}, nil, err
		}
		ors = append(ors, f.sql)
		args = append(args, f.args...)
	}
	if len(subs) > 0 {
		in := frag{sql: strings.Join(subs, " UNION ALL "), args: subArgs}
		if len(ors) == 0 {
			drv = &driver{in: in, est: in}
			if len(subs) == 1 {
				drv.one, drv.list = one, list
				if one.Param == "_id" && one.Kind == store.KindToken && one.Op == store.OpEq && !one.AnyCode && !one.Not {
					drv.ids = len(cl.Any)
				}
			}
			if hasNear(cl) && !c.approx { // the estimate need not compute every distance
				c.approx = true
				_, approx, err := c.clause(r, typ, cl)
				c.approx = false
				if err != nil {
					return frag{}, nil, err
				}
				drv.est = approx.in
			}
		}
		ors = append([]string{r + ".rid IN (" + in.sql + ")"}, ors...)
		args = append(append([]any{}, subArgs...), args...)
	}
	return frag{sql: "(" + strings.Join(ors, " OR ") + ")", args: args}, drv, nil
}

// hasNear says whether a clause has a near condition.
func hasNear(cl store.Clause) bool {
	for _, cd := range cl.Any {
		if cd.Kind == store.KindNear {
			return true
		}
	}
	return false
}

// inLists merges the equalities of a clause that differ only by their value (an _include's ids,
// a list of codes) into one "SELECT rid ... IN (...)" per group, which SQLite prepares and runs
// much faster than a UNION ALL of single lookups; rest are the other conditions.
func (c *compiler) inLists(typ string, conds []store.Cond) (lists []inList, rest []store.Cond, err error) {
	groups := map[string][]store.Cond{}
	var order []string
	for _, cond := range conds {
		k := inListKey(cond)
		if k == "" {
			rest = append(rest, cond)
			continue
		}
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], cond)
	}
	for _, k := range order {
		g := groups[k]
		if len(g) == 1 {
			rest = append(rest, g[0])
			continue
		}
		first := g[0]
		pid, err := c.d.param(c.ctx, c.q, typ, first.Param)
		if err != nil {
			return nil, nil, err
		}
		ph := strings.Repeat(",?", len(g))[1:]
		args := []any{pid}
		var sql string
		if first.Kind == store.KindToken {
			sql = "SELECT x.rid FROM ix_token x WHERE x.pid = ? AND x.code IN (" + ph + ")"
			for _, cd := range g {
				args = append(args, cd.Code)
			}
			if !first.AnySystem {
				sid, err := c.d.system(c.ctx, c.q, first.System)
				if err != nil {
					return nil, nil, err
				}
				sql += " AND x.sid = ?"
				args = append(args, sid)
			}
		} else {
			sql = "SELECT x.rid FROM ix_ref x WHERE x.pid = ? AND x.ref IN (" + ph + ") AND x.rtype = ?"
			for _, cd := range g {
				args = append(args, cd.ID)
			}
			args = append(args, first.Type)
		}
		lists = append(lists, inList{frag: frag{sql: sql, args: args}, cond: first})
	}
	return lists, rest, nil
}

// inList is one IN of inLists: its subquery, and the first of its conditions (their parameter).
type inList struct {
	frag
	cond store.Cond
}

// inListKey is the group of an equality that inLists may merge ("" for none).
func inListKey(cond store.Cond) string {
	if cond.Not || cond.Op != store.OpEq {
		return ""
	}
	switch {
	case cond.Kind == store.KindToken && !cond.AnyCode && cond.AnySystem:
		return "t\x00" + cond.Param
	case cond.Kind == store.KindToken && !cond.AnyCode:
		return "s\x00" + cond.Param + "\x00" + cond.System
	case cond.Kind == store.KindReference && cond.Target == nil && cond.URL == "" && cond.ID != "" && cond.Type != "":
		return "r\x00" + cond.Param + "\x00" + cond.Type
	}
	return ""
}

// positive returns "SELECT rid FROM ix_... WHERE ..." for a condition that is a plain membership
// in an index table (not negated, not missing, not a reverse chain; chains are).
func (c *compiler) positive(typ string, cond store.Cond) (frag, bool, error) {
	if cond.Kind == store.KindOr {
		return c.orSub(typ, cond)
	}
	if cond.Not || cond.Op == store.OpMissing || cond.Kind == store.KindHas {
		return frag{}, false, nil
	}
	tbl, f, err := c.values(typ, cond, "x")
	if err != nil {
		return frag{}, false, err
	}
	return frag{sql: "SELECT x.rid FROM " + tbl + " x WHERE " + f.sql, args: f.args}, true, nil
}

// cond compiles any condition as a predicate on row alias r.
func (c *compiler) cond(r, typ string, cond store.Cond) (frag, error) {
	if cond.Kind == store.KindOr {
		return c.or(r, typ, cond)
	}
	if cond.Kind == store.KindHas {
		return c.has(r, typ, cond)
	}
	if cond.Op == store.OpMissing {
		tbl, err := table(cond)
		if err != nil {
			return frag{}, err
		}
		pid, err := c.d.param(c.ctx, c.q, typ, cond.Param)
		if err != nil {
			return frag{}, err
		}
		not := ""
		if cond.Missing != cond.Not { // Not inverts :missing as any other condition
			not = "NOT "
		}
		return frag{sql: not + "EXISTS (SELECT 1 FROM " + tbl + " x WHERE x.rid = " + r + ".rid AND x.pid = ?)",
			args: []any{pid}}, nil
	}
	// A correlated check of one row must be driven by the row's key (rid, pid: the primary key's
	// first columns). The unary + on every other column keeps SQLite from choosing a secondary
	// index such as (pid, hi) instead, which scans half the index per row and makes a walk over many
	// rows quadratic (a delta _lastUpdated>=T over 50k resources took 18 s; see
	// BenchmarkSearchToken/delta).
	tbl, f, err := c.values(typ, cond, "+x")
	if err != nil {
		return frag{}, err
	}
	not := ""
	if cond.Not {
		not = "NOT "
	}
	return frag{sql: not + "EXISTS (SELECT 1 FROM " + tbl + " x WHERE x.rid = " + r + ".rid AND " + f.sql + ")",
		args: f.args}, nil
}

// table names the index table a condition reads.
func table(cond store.Cond) (string, error) {
	switch cond.Kind {
	case store.KindToken:
		if cond.Op == store.OpText {
			return "ix_text", nil
		}
		return "ix_token", nil
	case store.KindString:
		return "ix_string", nil
	case store.KindDate:
		return "ix_date", nil
	case store.KindNumber:
		return "ix_number", nil
	case store.KindReference:
		return "ix_ref", nil
	case store.KindURI:
		return "ix_uri", nil
	case store.KindNear:
		return "ix_coord", nil
	}
	return "", fmt.Errorf("sqlite: search kind %d on %q: %w", cond.Kind, cond.Param, store.ErrUnsupported)
}

// values compiles the value test of cond on index row alias x (pid included).
func (c *compiler) values(typ string, cond store.Cond, x string) (string, frag, error) {
	tbl, err := table(cond)
	if err != nil {
		return "", frag{}, err
	}
	pid, err := c.d.param(c.ctx, c.q, typ, cond.Param)
	if err != nil {
		return "", frag{}, err
	}
	// With alias "+x" (a correlated check, see cond) pid stays seekable: (rid, pid) lead the key.
	preds := []string{strings.TrimPrefix(x, "+") + ".pid = ?"}
	args := []any{pid}
	add := func(p string, a ...any) {
		preds = append(preds, p)
		args = append(args, a...)
	}
	bad := func() (string, frag, error) {
		return "", frag{}, fmt.Errorf("sqlite: operator %d on %s parameter %q: %w", cond.Op, tbl, cond.Param, store.ErrUnsupported)
	}
	switch cond.Kind {
	case store.KindToken:
		switch cond.Op {
		case store.OpEq:
			if !cond.AnyCode {
				add(x+".code = ?", cond.Code)
			}
			if !cond.AnySystem {
				sid, err := c.d.system(c.ctx, c.q, cond.System)
				if err != nil {
					return "", frag{}, err
				}
				add(x+".sid = ?", sid)
			}
		case store.OpText:
			prefix(add, x+".text", cond.Value)
		default:
			return bad()
		}
	case store.KindString:
		switch cond.Op {
		case store.OpEq:
			add(x+".norm = ?", cond.Value)
		case store.OpPrefix:
			prefix(add, x+".norm", cond.Value)
		case store.OpExact:
			add(x+".exact = ?", cond.Value)
		case store.OpContains:
			add("instr("+x+".norm, ?) > 0", cond.Value)
		default:
			return bad()
		}
	case store.KindDate, store.KindNumber:
		if cond.Op != store.OpRange {
			return bad()
		}
		for _, b := range cond.Bounds {
			col, err := boundColumn(cond.Kind, b.Field)
			if err != nil {
				return "", frag{}, err
			}
			add(x+"."+col+" "+cmpSQL(b.Cmp)+" ?", b.Value)
		}
		if cond.UnitSystem != "" {
			add(x+".usys = ?", cond.UnitSystem)
		}
		if cond.UnitCode != "" {
			add(x+".ucode = ?", cond.UnitCode)
		}
	case store.KindReference:
		if cond.Op != store.OpEq {
			return bad()
		}
		if err := c.reference(add, cond, x); err != nil {
			return "", frag{}, err
		}
	case store.KindURI:
		switch cond.Op {
		case store.OpEq:
			sid, err := c.d.system(c.ctx, c.q, cond.Value)
			if err != nil {
				return "", frag{}, err
			}
			add(x+".sid = ?", sid)
		case store.OpBelow, store.OpAbove: // URIs are interned: select them in table system
			var sub frag
			collect := func(p string, a ...any) {
				sub.sql = p
				sub.args = a
			}
			if cond.Op == store.OpBelow {
				prefix(collect, "uri", cond.Value)
			} else {
				above(collect, "uri", cond.Value)
			}
			if sub.sql == "" {
				sub.sql = "1"
			}
			add(x+".sid IN (SELECT sid FROM system WHERE "+sub.sql+")", sub.args...)
		default:
			return bad()
		}
	case store.KindNear:
		near(add, x, cond, c.approx)
	}
	return tbl, frag{sql: strings.Join(preds, " AND "), args: args}, nil
}

// reference compiles a reference equality, or a chain when cond.Target is set.
func (c *compiler) reference(add func(string, ...any), cond store.Cond, x string) error {
	switch {
	case cond.Target != nil:
		c.alias++
		t := fmt.Sprintf("t%d", c.alias)
		inner, _, err := c.rows(t, cond.Target.Type, cond.Target.Where)
		if err != nil {
			return err
		}
		add(x+".rtype = ?", cond.Target.Type)
		add(x+".ref IN (SELECT "+t+".id FROM resource "+t+" WHERE "+inner.sql+")", inner.args...)
	case cond.URL != "":
		add(x+".ref = ? AND "+x+".rtype = ''", cond.URL)
	case cond.ID != "" && cond.Type != "":
		add(x+".ref = ? AND "+x+".rtype = ?", cond.ID, cond.Type)
	case cond.ID != "":
		add(x+".ref = ? AND "+x+".rtype <> ''", cond.ID)
	case cond.Type != "":
		add(x+".rtype = ?", cond.Type)
	}
	return nil
}

// has compiles a reverse chain: some resource of Has.Type matching Has.Where references r
// through Has.Param.
func (c *compiler) has(r, typ string, cond store.Cond) (frag, error) {
	h := cond.Has
	if h == nil || h.Type == "" || h.Param == "" || cond.Op == store.OpMissing {
		return frag{}, fmt.Errorf("sqlite: _has on %q without type and parameter: %w", cond.Param, store.ErrUnsupported)
	}
	pid, err := c.d.param(c.ctx, c.q, h.Type, h.Param)
	if err != nil {
		return frag{}, err
	}
	c.alias++
	t := fmt.Sprintf("t%d", c.alias)
	inner, _, err := c.rows(t, h.Type, h.Where)
	if err != nil {
		return frag{}, err
	}
	not := ""
	if cond.Not {
		not = "NOT "
	}
	sql := not + r + ".id IN (SELECT f.ref FROM ix_ref f JOIN resource " + t + " ON " + t + ".rid = f.rid" +
		" WHERE f.pid = ? AND f.rtype = ? AND " + inner.sql + ")"
	return frag{sql: sql, args: append([]any{pid, typ}, inner.args...)}, nil
}

// prefix adds an anchored prefix test as a range, so that the index serves it.
func prefix(add func(string, ...any), col, p string) {
	if p == "" {
		return
	}
	if hi, ok := prefixEnd(p); ok {
		add(col+" >= ? AND "+col+" < ?", p, hi)
	} else {
		add(col+" >= ?", p)
	}
}

// prefixEnd is the smallest string greater than every string starting with p (byte-wise).
func prefixEnd(p string) (string, bool) {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1]), true
		}
	}
	return "", false
}

// above adds "the stored value is a prefix of v": membership in the prefixes of v.
func above(add func(string, ...any), col, v string) {
	if len(v) > 512 { // too many prefixes to list: test each stored value instead
		add("substr(?, 1, length("+col+")) = "+col, v)
		return
	}
	ph := make([]string, 0, len(v))
	args := make([]any, 0, len(v))
	for i := 1; i <= len(v); i++ {
		ph = append(ph, "?")
		args = append(args, v[:i])
	}
	add(col+" IN ("+strings.Join(ph, ",")+")", args...)
}

// boundColumn maps a bound field to its column for the condition's kind.
func boundColumn(k store.Kind, f store.BoundField) (string, error) {
	switch {
	case k == store.KindDate && f == store.FieldLo:
		return "lo", nil
	case k == store.KindDate && f == store.FieldHi:
		return "hi", nil
	case k == store.KindNumber && f == store.FieldValue:
		return "value", nil
	}
	return "", fmt.Errorf("sqlite: bound field %d on kind %d: %w", f, k, store.ErrUnsupported)
}

func cmpSQL(c store.CmpOp) string {
	switch c {
	case store.CmpLT:
		return "<"
	case store.CmpLE:
		return "<="
	case store.CmpGT:
		return ">"
	default:
		return ">="
	}
}

// earthKm is the mean Earth radius used for great-circle distances.
const earthKm = store.EarthRadiusKm

// near adds a bounding box on the indexed latitude (and longitude when it does not wrap), then
// the exact great-circle distance unless bboxOnly.
func near(add func(string, ...any), x string, cond store.Cond, bboxOnly bool) {
	dlat := cond.Km / (earthKm * math.Pi / 180) * 1.0001
	add(x+".lat BETWEEN ? AND ?", cond.Lat-dlat, cond.Lat+dlat)
	if maxLat := math.Abs(cond.Lat) + dlat; maxLat < 89 {
		dlon := dlat / math.Cos(maxLat*math.Pi/180)
		if cond.Lon-dlon > -180 && cond.Lon+dlon < 180 {
			add(x+".lon BETWEEN ? AND ?", cond.Lon-dlon, cond.Lon+dlon)
		}
	}
	if bboxOnly {
		return
	}
	add("ror_distance_km(?, ?, "+x+".lat, "+x+".lon) <= ?", cond.Lat, cond.Lon, cond.Km) // store.DistanceKm (search_near.go)
}
