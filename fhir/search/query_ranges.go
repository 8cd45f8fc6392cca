package search

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/store"
)

// prefixes are the FHIR comparison prefixes of date, number and quantity values.
var prefixes = [...]string{"eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap"}

func splitPrefix(v string) (prefix, rest string) {
	if len(v) >= 2 {
		for _, p := range prefixes {
			if v[:2] == p {
				return p, v[2:]
			}
		}
	}
	return "eq", v
}

func bound(f store.BoundField, c store.CmpOp, v float64) store.Bound {
	return store.Bound{Field: f, Cmp: c, Value: v}
}

// parseDateCond maps a date search value to bounds on the stored [Lo, Hi] range (R4 semantics:
// eq = the stored range lies within the value's; gt/lt/ge/le compare the ends; sa/eb = starts
// after / ends before; ap = overlaps the value widened by 10% of its distance to now).
func (r *Registry) parseDateCond(p *compiled, key, v string) (store.Cond, error) {
	prefix, lit := splitPrefix(v)
	d, err := parseDateRange(lit, r.zone)
	if err != nil {
		return store.Cond{}, fherr.Invalid("value", key, "%s expects an optional prefix (eq, ne, gt, lt, ge, le, sa, eb, ap) then a date YYYY, YYYY-MM, YYYY-MM-DD or a dateTime YYYY-MM-DDThh:mm[:ss[.sss]][Z|±hh:mm], got %q", key, v)
	}
	lo, hi := float64(d.Lo), float64(d.Hi)
	c := store.Cond{Param: p.Code, Kind: store.KindDate, Op: store.OpRange}
	switch prefix {
	case "eq", "ne":
		c.Bounds = []store.Bound{bound(store.FieldLo, store.CmpGE, lo), bound(store.FieldHi, store.CmpLE, hi)}
		c.Not = prefix == "ne"
	case "gt":
		c.Bounds = []store.Bound{bound(store.FieldHi, store.CmpGT, hi)}
	case "ge":
		c.Bounds = []store.Bound{bound(store.FieldHi, store.CmpGE, lo)}
	case "lt":
		c.Bounds = []store.Bound{bound(store.FieldLo, store.CmpLT, lo)}
	case "le":
		c.Bounds = []store.Bound{bound(store.FieldLo, store.CmpLE, hi)}
	case "sa":
		c.Bounds = []store.Bound{bound(store.FieldLo, store.CmpGT, hi)}
	case "eb":
		c.Bounds = []store.Bound{bound(store.FieldHi, store.CmpLT, lo)}
	case "ap":
		now := float64(time.Now().UnixMilli())
		gap := math.Max(math.Abs(now-lo), math.Abs(now-hi)) * 0.1
		c.Bounds = []store.Bound{bound(store.FieldLo, store.CmpLE, hi+gap), bound(store.FieldHi, store.CmpGE, lo-gap)}
	}
	return c, nil
}

// parseNumberCond reads [prefix]number[|system|code]; eq uses the precision of the literal
// ("100" is [99.5, 100.5)).
func parseNumberCond(p *compiled, key, v string) (store.Cond, error) {
	prefix, lit := splitPrefix(v)
	c := store.Cond{Param: p.Code, Kind: store.KindNumber, Op: store.OpRange}
	if p.Type == TypeQuantity {
		parts := splitUnescaped(lit, '|')
		switch len(parts) {
		case 1:
		case 3:
			lit, c.UnitSystem, c.UnitCode = parts[0], unescape(parts[1]), unescape(parts[2])
		default:
			return c, fherr.Invalid("value", key, "%s expects [prefix]number[|system|code], got %q", key, v)
		}
	}
	n, err := strconv.ParseFloat(lit, 64)
	if err != nil || math.IsInf(n, 0) || math.IsNaN(n) {
		what := "[prefix]number"
		if p.Type == TypeQuantity {
			what = "[prefix]number[|system|code]"
		}
		return store.Cond{}, fherr.Invalid("value", key, "%s expects %s with prefix among eq, ne, gt, lt, ge, le, sa, eb, ap; got %q", key, what, v)
	}
	half := precisionHalf(lit)
	switch prefix {
	case "eq", "ne":
		c.Bounds = []store.Bound{bound(store.FieldValue, store.CmpGE, n-half), bound(store.FieldValue, store.CmpLT, n+half)}
		c.Not = prefix == "ne"
	case "gt", "sa":
		c.Bounds = []store.Bound{bound(store.FieldValue, store.CmpGT, n)}
	case "lt", "eb":
		c.Bounds = []store.Bound{bound(store.FieldValue, store.CmpLT, n)}
	case "ge":
		c.Bounds = []store.Bound{bound(store.FieldValue, store.CmpGE, n)}
	case "le":
		c.Bounds = []store.Bound{bound(store.FieldValue, store.CmpLE, n)}
	case "ap":
		d := math.Max(math.Abs(n)*0.1, half)
		c.Bounds = []store.Bound{bound(store.FieldValue, store.CmpGE, n-d), bound(store.FieldValue, store.CmpLE, n+d)}
	}
	return c, nil
}

// precisionHalf is half a unit of the last significant digit of a decimal literal.
func precisionHalf(lit string) float64 {
	mant, exp := lit, 0
	if i := strings.IndexAny(lit, "eE"); i >= 0 {
		mant = lit[:i]
		exp, _ = strconv.Atoi(lit[i+1:])
	}
	decimals := 0
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		decimals = len(mant) - i - 1
	}
	return 0.5 * math.Pow(10, float64(exp-decimals))
}
