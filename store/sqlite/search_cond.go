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
}

// frag is a piece of SQL with its bound arguments.
type frag struct {
	sql  string
	args []any
}

// rows compiles "row alias r is a live resource of type typ satisfying clauses". When a clause
// is a plain index membership, the type test is hidden from the planner (unary +) so that
// SQLite drives the search from that index rather than from every resource of the type.
func (c *compiler) rows(r, typ string, clauses []store.Clause) (f frag, driving bool, err error) {
	var parts []string
	args := []any{typ}
	for _, cl := range clauses {
		f, positive, err := c.clause(r, typ, cl)
		if err != nil {
			return frag{}, false, err
		}
		driving = driving || positive
		parts = append(parts, f.sql)
		args = append(args, f.args...)
	}
	typeTest := r + ".type = ?"
	if driving {
		typeTest = "+" + typeTest
	}
	parts = append([]string{typeTest, r + ".deleted = 0"}, parts...)
	return frag{sql: strings.Join(parts, " AND "), args: args}, driving, nil
}

// clause compiles one OR of conditions. Positive conditions on index tables are merged into one
// IN over a UNION ALL so that SQLite can drive the search from the index; positive says the
// whole clause is such an IN.
func (c *compiler) clause(r, typ string, cl store.Clause) (f frag, positive bool, err error) {
	if len(cl.Any) == 0 {
		return frag{sql: "1"}, false, nil
	}
	var ors []string
	var args []any
	var subs []string
	var subArgs []any
	for _, cond := range cl.Any {
		sub, ok, err := c.positive(typ, cond)
		if err != nil {
			return frag{}, false, err
		}
		if ok {
			subs = append(subs, sub.sql)
			subArgs = append(subArgs, sub.args...)
			continue
		}
		f, err := c.cond(r, typ, cond)
		if err != nil {
			return frag{}, false, err
		}
		ors = append(ors, f.sql)
		args = append(args, f.args...)
	}
	if len(subs) > 0 {
		ors = append([]string{r + ".rid IN (" + strings.Join(subs, " UNION ALL ") + ")"}, ors...)
		args = append(subArgs, args...)
	}
	return frag{sql: "(" + strings.Join(ors, " OR ") + ")", args: args}, len(ors) == 1 && len(subs) > 0, nil
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
	tbl, f, err := c.values(typ, cond, "x")
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
	preds := []string{x + ".pid = ?"}
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
		near(add, x, cond)
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
const earthKm = 6371.0088

// near adds a bounding box on the indexed latitude (and longitude when it does not wrap), then
// the exact haversine distance.
func near(add func(string, ...any), x string, cond store.Cond) {
	dlat := cond.Km / (earthKm * math.Pi / 180) * 1.0001
	add(x+".lat BETWEEN ? AND ?", cond.Lat-dlat, cond.Lat+dlat)
	if maxLat := math.Abs(cond.Lat) + dlat; maxLat < 89 {
		dlon := dlat / math.Cos(maxLat*math.Pi/180)
		if cond.Lon-dlon > -180 && cond.Lon+dlon < 180 {
			add(x+".lon BETWEEN ? AND ?", cond.Lon-dlon, cond.Lon+dlon)
		}
	}
	add("2 * ? * asin(min(1, sqrt(pow(sin(radians("+x+".lat - ?) / 2), 2) + cos(radians(?)) * cos(radians("+x+
		".lat)) * pow(sin(radians("+x+".lon - ?) / 2), 2)))) <= ?", earthKm, cond.Lat, cond.Lat, cond.Lon, cond.Km)
}
