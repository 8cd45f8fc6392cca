package sqlite

import (
	"strings"

	"github.com/rorfhir/ror/store"
)

// or compiles nested alternatives (store.KindOr) as a predicate on row alias r: each alternative
// is the AND of its clauses, the alternatives are ORed, Not negates the whole.
func (c *compiler) or(r, typ string, cond store.Cond) (frag, error) {
	var alts []string
	var args []any
	for _, alt := range cond.Or {
		parts := []string{"1"}
		for _, cl := range alt {
			f, _, err := c.clause(r, typ, cl)
			if err != nil {
				return frag{}, err
			}
			parts = append(parts, f.sql)
			args = append(args, f.args...)
		}
		alts = append(alts, "("+strings.Join(parts, " AND ")+")")
	}
	sql := "0"
	if len(alts) > 0 {
		sql = "(" + strings.Join(alts, " OR ") + ")"
	}
	if cond.Not {
		sql = "NOT " + sql
	}
	return frag{sql: sql, args: args}, nil
}

// orSub returns "SELECT rid ..." for alternatives made only of positive index memberships: each
// clause is a UNION ALL of its conditions, an alternative the INTERSECT of its clauses (in its own
// SELECT), and the alternatives a UNION ALL, so that SQLite drives the search from the indexes. ok is false when some
// part is not such a membership (negations, :missing, empty clauses...).
func (c *compiler) orSub(typ string, cond store.Cond) (f frag, ok bool, err error) {
	if cond.Not || len(cond.Or) == 0 {
		return frag{}, false, nil
	}
	var alts []string
	var args []any
	for _, alt := range cond.Or {
		if len(alt) == 0 {
			return frag{}, false, nil
		}
		var parts []string
		for _, cl := range alt {
			if len(cl.Any) == 0 {
				return frag{}, false, nil
			}
			var subs []string
			for _, cd := range cl.Any {
				sub, ok, err := c.positive(typ, cd)
				if err != nil || !ok {
					return frag{}, false, err
				}
				subs = append(subs, sub.sql)
				args = append(args, sub.args...)
			}
			parts = append(parts, "SELECT rid FROM ("+strings.Join(subs, " UNION ALL ")+")")
		}
		// Compound selects associate left to right: without its own SELECT, an alternative's
		// INTERSECT would apply to the union of the alternatives before it.
		alts = append(alts, "SELECT rid FROM ("+strings.Join(parts, " INTERSECT ")+")")
	}
	// UNION ALL: the result is only tested for membership, and it streams (a LIMIT stops it early).
	return frag{sql: "SELECT rid FROM (" + strings.Join(alts, " UNION ALL ") + ")", args: args}, true, nil
}
