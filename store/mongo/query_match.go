package mongo

import (
	"math"
	"strings"

	"github.com/rorfhir/ror/store"
)

// The Go evaluation of a query over one resource's raw index values. It is the reference
// semantics of the store.Query predicates; the MongoDB filter (query_filter.go) is either exact
// or a superset of it, in which case fetched documents are checked here.

// clause is a store.Clause with its chains resolved.
type clause []cond

// cond is a store.Cond with its inner queries resolved.
type cond struct {
	store.Cond
	// ids: for a chained reference (Target), the ids of matching Target.Type resources; for Has,
	// the ids of the searched type that matching resources reference.
	ids map[string]bool
	// or: the resolved alternatives of a KindOr condition.
	or [][]clause
}

// matchWhere says whether a resource (its id and index values) satisfies every clause.
func matchWhere(id string, ix *store.Index, where []clause) bool {
	if ix == nil {
		ix = &store.Index{}
	}
	for _, cl := range where {
		ok := len(cl) == 0 // an empty clause holds
		for _, c := range cl {
			if c.match(id, ix) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func (c cond) match(id string, ix *store.Index) bool {
	return c.holds(id, ix) != c.Not
}

// holds evaluates the condition without Not.
func (c cond) holds(id string, ix *store.Index) bool {
	switch {
	case c.Op == store.OpMissing:
		return c.some(ix, true) != c.Missing
	case c.Kind == store.KindHas:
		return c.ids[id]
	case c.Kind == store.KindOr:
		for _, alt := range c.or {
			if matchWhere(id, ix, alt) {
				return true
			}
		}
		return false
	}
	return c.some(ix, false)
}

// some says whether one value of the condition's parameter satisfies it (or, with anyValue,
// whether there is one at all).
func (c cond) some(ix *store.Index, anyValue bool) bool {
	switch c.Kind {
	case store.KindToken:
		for _, v := range ix.Tokens {
			if v.Param == c.Param && (anyValue || c.token(v)) {
				return true
			}
		}
	case store.KindString:
		for _, v := range ix.Strings {
			if v.Param == c.Param && (anyValue || c.str(v)) {
				return true
			}
		}
	case store.KindReference:
		for _, v := range ix.References {
			if v.Param == c.Param && (anyValue || c.ref(v)) {
				return true
			}
		}
	case store.KindURI:
		for _, v := range ix.URIs {
			if v.Param == c.Param && (anyValue || c.uri(v)) {
				return true
			}
		}
	case store.KindDate:
		for _, v := range ix.Dates {
			if v.Param == c.Param && (anyValue || c.date(v)) {
				return true
			}
		}
	case store.KindNumber:
		for _, v := range ix.Numbers {
			if v.Param == c.Param && (anyValue || c.number(v)) {
				return true
			}
		}
	case store.KindNear:
		for _, v := range ix.Coords {
			if v.Param == c.Param && (anyValue || store.DistanceKm(c.Lat, c.Lon, v.Lat, v.Lon) <= c.Km) {
				return true
			}
		}
	}
	return false
}

func (c cond) token(v store.TokenValue) bool {
	switch c.Op {
	case store.OpEq:
		return (c.AnyCode || v.Code == c.Code) && (c.AnySystem || v.System == c.System)
	case store.OpText:
		return v.Text != "" && strings.HasPrefix(v.Text, c.Value)
	}
	return false
}

func (c cond) str(v store.StringValue) bool {
	switch c.Op {
	case store.OpEq:
		return v.Norm == c.Value
	case store.OpPrefix:
		return strings.HasPrefix(v.Norm, c.Value)
	case store.OpExact:
		return v.Exact == c.Value
	case store.OpContains:
		return strings.Contains(v.Norm, c.Value)
	}
	return false
}

// ref: a chained Target first; else URL, else ID (with Type, or any type), else Type alone, else
// any reference.
func (c cond) ref(v store.ReferenceValue) bool {
	switch {
	case c.Target != nil:
		return v.ID != "" && v.Type == c.Target.Type && c.ids[v.ID]
	case c.URL != "":
		return v.URL == c.URL
	case c.ID != "":
		return v.ID == c.ID && (c.Type == "" || v.Type == c.Type)
	case c.Type != "":
		return v.Type == c.Type
	}
	return true
}

func (c cond) uri(v store.URIValue) bool {
	switch c.Op {
	case store.OpEq:
		return v.URI == c.Value
	case store.OpAbove:
		return strings.HasPrefix(c.Value, v.URI)
	case store.OpBelow:
		return strings.HasPrefix(v.URI, c.Value)
	}
	return false
}

func (c cond) date(v store.DateValue) bool {
	for _, b := range c.Bounds {
		x := v.Lo
		if b.Field == store.FieldHi {
			x = v.Hi
		}
		if !cmpHolds(cmpIntFloat(x, b.Value), b.Cmp) {
			return false
		}
	}
	return true
}

func (c cond) number(v store.NumberValue) bool {
	if (c.UnitSystem != "" && v.System != c.UnitSystem) || (c.UnitCode != "" && v.Code != c.UnitCode) {
		return false
	}
	for _, b := range c.Bounds {
		if math.IsNaN(v.Value) || math.IsNaN(b.Value) {
			return false
		}
		r := 0
		if v.Value < b.Value {
			r = -1
		} else if v.Value > b.Value {
			r = 1
		}
		if !cmpHolds(r, b.Cmp) {
			return false
		}
	}
	return true
}

func cmpHolds(r int, op store.CmpOp) bool {
	switch op {
	case store.CmpLT:
		return r < 0
	case store.CmpLE:
		return r <= 0
	case store.CmpGT:
		return r > 0
	case store.CmpGE:
		return r >= 0
	}
	return false
}

// cmpIntFloat compares an int64 with a float64 exactly (-1, 0, 1); NaN compares as greater.
func cmpIntFloat(a int64, b float64) int {
	switch {
	case math.IsNaN(b), b >= 0x1p63:
		return -1
	case b < -0x1p63:
		return 1
	}
	fb := math.Floor(b)
	ib := int64(fb)
	switch {
	case a < ib:
		return -1
	case a > ib:
		return 1
	case fb < b:
		return -1
	}
	return 0
}
