package mongo

import (
	"fmt"
	"math"
	"regexp"
	"unicode/utf8"

	"github.com/rorfhir/ror/store"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// The translation of query predicates into MongoDB filters on the flat keys (doc_keys.go), using
// only equality, $in, ranges and anchored prefixes. A filter is nil when it cannot restrict
// anything (every document may match); exact says whether it expresses the predicate exactly or
// only a superset, to be finished in Go (query_match.go).

func eq(field string, v any) bson.D { return bson.D{{Key: field, Value: v}} }

func op(field, operator string, v any) bson.D {
	return bson.D{{Key: field, Value: bson.D{{Key: operator, Value: v}}}}
}

// prefixRegex matches keys starting with the literal prefix, then the regex rest (already safe).
func prefixRegex(field, prefix, rest string) bson.D {
	return eq(field, bson.Regex{Pattern: "^" + regexp.QuoteMeta(prefix) + rest})
}

// cmpOp is the MongoDB operator of a comparison.
func cmpOp(c store.CmpOp) string {
	return [...]string{store.CmpLT: "$lt", store.CmpLE: "$lte", store.CmpGT: "$gt", store.CmpGE: "$gte"}[c]
}

func nothing() bson.D { return op("_id", "$in", bson.A{}) }

func and(fs []bson.D) bson.D {
	switch len(fs) {
	case 0:
		return nil
	case 1:
		return fs[0]
	}
	a := make(bson.A, len(fs))
	for i, f := range fs {
		a[i] = f
	}
	return bson.D{{Key: "$and", Value: a}}
}

// whereFilter translates the clauses (all must hold).
func whereFilter(where []clause) (bson.D, bool, error) {
	var fs []bson.D
	exact := true
	for _, cl := range where {
		var alts bson.A
		all := false
		for _, c := range cl {
			f, ok, err := c.filter()
			if err != nil {
				return nil, false, err
			}
			exact = exact && ok
			if f == nil {
				all = true
			}
			alts = append(alts, f)
		}
		switch {
		case all:
		case len(alts) == 1:
			fs = append(fs, alts[0].(bson.D))
		case len(alts) == 0: // an empty clause holds (as in the SQLite store)
		default:
			fs = append(fs, bson.D{{Key: "$or", Value: alts}})
		}
	}
	return and(fs), exact, nil
}

// filter translates one condition, Not included.
func (c cond) filter() (bson.D, bool, error) {
	f, exact, err := c.positive()
	if err != nil || !c.Not {
		return f, exact, err
	}
	if !exact {
		return nil, false, nil // the complement of a superset is not a superset of the complement
	}
	if f == nil {
		return nothing(), true, nil
	}
	return bson.D{{Key: "$nor", Value: bson.A{f}}}, true, nil
}

func unsupported(c cond) error {
	return fmt.Errorf("mongo: operator %d on a condition of kind %d (%s): %w", c.Op, c.Kind, c.Param,
		store.ErrUnsupported)
}

// positive translates the condition without Not.
func (c cond) positive() (bson.D, bool, error) {
	p := c.Param
	if c.Kind == store.KindOr {
		return c.orFilter()
	}
	if c.Op == store.OpMissing {
		if c.Kind == store.KindHas {
			return nil, false, unsupported(c)
		}
		if c.Missing {
			return op(fHas, "$ne", hasKey(c.Kind, p)), true, nil
		}
		return eq(fHas, hasKey(c.Kind, p)), true, nil
	}
	switch c.Kind {
	case store.KindToken:
		return c.tokenFilter()
	case store.KindString:
		switch c.Op {
		case store.OpEq:
			return eq(fStr, key(tagNorm, p, c.Value)), true, nil
		case store.OpExact:
			return eq(fStr, key(tagExact, p, c.Value)), true, nil
		case store.OpPrefix:
			return prefixRegex(fStr, key(tagNorm, p, c.Value), ""), true, nil
		case store.OpContains:
			return prefixRegex(fStr, key(tagNorm, p), `[\s\S]*`+regexp.QuoteMeta(c.Value)), true, nil
		}
	case store.KindReference:
		return c.refFilter()
	case store.KindURI:
		switch c.Op {
		case store.OpEq:
			return eq(fURI, key("", p, c.Value)), true, nil
		case store.OpBelow:
			return prefixRegex(fURI, key("", p, c.Value), ""), true, nil
		case store.OpAbove:
			in := bson.A{key("", p, "")}
			for i := range c.Value {
				if i > 0 && utf8.RuneStart(c.Value[i]) {
					in = append(in, key("", p, c.Value[:i]))
				}
			}
			return op(fURI, "$in", append(in, key("", p, c.Value))), true, nil
		}
	case store.KindDate:
		if c.Op == store.OpRange {
			return c.dateFilter()
		}
	case store.KindNumber:
		if c.Op == store.OpRange {
			return c.numberFilter()
		}
	case store.KindNear:
		b := boxAround(c.Lat, c.Lon, c.Km)
		fs := []bson.D{op(valueField(fLat, p), "$gte", b.latLo), op(valueField(fLat, p), "$lte", b.latHi)}
		if b.lonOK {
			fs = append(fs, op(valueField(fLon, p), "$gte", b.lonLo), op(valueField(fLon, p), "$lte", b.lonHi))
		}
		return and(fs), false, nil
	case store.KindHas:
		ids := make(bson.A, 0, len(c.ids))
		for id := range c.ids {
			ids = append(ids, id)
		}
		return op("id", "$in", ids), true, nil
	}
	return nil, false, unsupported(c)
}

func (c cond) tokenFilter() (bson.D, bool, error) {
	p := c.Param
	switch c.Op {
	case store.OpEq:
		switch {
		case c.AnySystem && c.AnyCode:
			return eq(fHas, hasKey(store.KindToken, p)), true, nil
		case c.AnySystem:
			return eq(fTok, key(tagCode, p, c.Code)), true, nil
		case c.AnyCode:
			return eq(fTok, key(tagSys, p, c.System)), true, nil
		}
		return eq(fTok, key(tagSysCode, p, c.System, c.Code)), true, nil
	case store.OpText:
		return prefixRegex(fTok, key(tagText, p, c.Value), ""), true, nil
	}
	return nil, false, unsupported(c)
}

func (c cond) refFilter() (bson.D, bool, error) {
	p := c.Param
	if c.Op != store.OpEq {
		return nil, false, unsupported(c)
	}
	switch {
	case c.Target != nil:
		in := make(bson.A, 0, len(c.ids))
		for id := range c.ids {
			in = append(in, key(tagRefTID, p, c.Target.Type+"/"+id))
		}
		return op(fRef, "$in", in), true, nil
	case c.URL != "":
		return eq(fRef, key(tagRefURL, p, c.URL)), true, nil
	case c.ID != "" && c.Type != "":
		return eq(fRef, key(tagRefTID, p, c.Type+"/"+c.ID)), true, nil
	case c.ID != "":
		return eq(fRef, key(tagRefID, p, c.ID)), true, nil
	case c.Type != "":
		return eq(fRef, key(tagRefType, p, c.Type)), true, nil
	}
	return eq(fHas, hasKey(store.KindReference, p)), true, nil
}

// dateFilter: each bound is one comparison on the parameter's low or high values, exact alone;
// several bounds must hold on the same value, which an array cannot tie together without
// $elemMatch: then the filter is a superset.
func (c cond) dateFilter() (bson.D, bool, error) {
	if len(c.Bounds) == 0 {
		return eq(fHas, hasKey(store.KindDate, c.Param)), true, nil
	}
	var fs []bson.D
	for _, b := range c.Bounds {
		field := valueField(fDLo, c.Param)
		if b.Field == store.FieldHi {
			field = valueField(fDHi, c.Param)
		} else if b.Field != store.FieldLo {
			return nil, false, unsupported(c)
		}
		lo, hi, ok := intBounds(b)
		switch {
		case !ok:
			return nothing(), true, nil
		case b.Cmp == store.CmpGE || b.Cmp == store.CmpGT:
			fs = append(fs, op(field, "$gte", lo))
		default:
			fs = append(fs, op(field, "$lte", hi))
		}
	}
	return and(fs), len(c.Bounds) == 1, nil
}

// intBounds turns "stored int64 <Cmp> Value" into an inclusive int64 range (ok false: empty).
func intBounds(b store.Bound) (lo, hi int64, ok bool) {
	lo, hi = math.MinInt64, math.MaxInt64
	v := b.Value
	if math.IsNaN(v) {
		return 0, 0, false
	}
	// clamp converts a float known to be an integer into int64, saturating.
	clamp := func(f float64) (int64, int) {
		switch {
		case f >= 0x1p63:
			return math.MaxInt64, 1
		case f < -0x1p63:
			return math.MinInt64, -1
		}
		return int64(f), 0
	}
	// Integer arithmetic after the conversion: near 2^60, v and v±1 are the same float.
	switch b.Cmp {
	case store.CmpGE, store.CmpGT:
		t := math.Ceil(v)
		x, over := clamp(t)
		if over > 0 {
			return 0, 0, false
		}
		if b.Cmp == store.CmpGT && t == v && over == 0 {
			if x == math.MaxInt64 {
				return 0, 0, false
			}
			x++
		}
		lo = x
	case store.CmpLE, store.CmpLT:
		t := math.Floor(v)
		x, over := clamp(t)
		if over < 0 {
			return 0, 0, false
		}
		if b.Cmp == store.CmpLT && t == v && over == 0 {
			if x == math.MinInt64 {
				return 0, 0, false
			}
			x--
		}
		hi = x
	}
	return lo, hi, true
}

func (c cond) numberFilter() (bson.D, bool, error) {
	exact := len(c.Bounds) <= 1 && c.UnitSystem == "" && c.UnitCode == ""
	if len(c.Bounds) == 0 {
		return eq(fHas, hasKey(store.KindNumber, c.Param)), exact, nil
	}
	var fs []bson.D
	for _, b := range c.Bounds {
		if b.Field != store.FieldValue {
			return nil, false, unsupported(c)
		}
		if math.IsNaN(b.Value) {
			return nothing(), true, nil
		}
		fs = append(fs, op(valueField(fNum, c.Param), cmpOp(b.Cmp), b.Value))
	}
	return and(fs), exact, nil
}

// orFilter: the alternatives' filters under $or; a superset when one of them is.
func (c cond) orFilter() (bson.D, bool, error) {
	if len(c.or) == 0 {
		return nothing(), true, nil
	}
	exact := true
	alts := make(bson.A, 0, len(c.or))
	all := false
	for _, alt := range c.or {
		f, ok, err := whereFilter(alt)
		if err != nil {
			return nil, false, err
		}
		exact = exact && ok
		if f == nil {
			all = true
		}
		alts = append(alts, f)
	}
	if all {
		return nil, exact, nil
	}
	if len(alts) == 1 {
		return alts[0].(bson.D), exact, nil
	}
	return bson.D{{Key: "$or", Value: alts}}, exact, nil
}
