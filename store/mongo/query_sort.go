package mongo

import (
	"fmt"
	"strconv"

	"github.com/rorfhir/ror/store"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// Search order: the sort keys, then the resource id ascending. A resource without a value for a
// sort parameter sorts last in either direction; MongoDB puts a missing field first in ascending
// order, so each parameter key is preceded by its computed $type ("string" > "missing", sorted
// descending).

// sortKey is one resolved criterion.
type sortKey struct {
	field string // "id" or so.<param>
	isID  bool
	desc  bool
}

func sortKeys(q store.Query) []sortKey {
	ks := make([]sortKey, len(q.Sort))
	for i, s := range q.Sort {
		if s.Param == "_id" {
			ks[i] = sortKey{field: "id", isID: true, desc: s.Desc}
		} else {
			ks[i] = sortKey{field: sortField(s.Param), desc: s.Desc}
		}
	}
	return ks
}

// keyBounds are the filters of the first sort key's bounds (SortKey.KeyMin, KeyMax): implied by
// the query, they let MongoDB read that key's index in range.
func keyBounds(q store.Query) []bson.D {
	if len(q.Sort) == 0 || q.Sort[0].Param == "_id" || q.Sort[0].Near != nil {
		return nil
	}
	var out []bson.D
	k := q.Sort[0]
	if k.KeyMin != nil {
		out = append(out, op(sortField(k.Param), "$gte", *k.KeyMin))
	}
	if k.KeyMax != nil {
		out = append(out, op(sortField(k.Param), "$lte", *k.KeyMax))
	}
	return out
}

func typeField(i int) string { return "_m" + strconv.Itoa(i) }

// sortStages returns the $set (nil when none) and $sort stages of the order.
func sortStages(ks []sortKey) (set, sort bson.D) {
	seen := map[string]bool{}
	for i, k := range ks {
		if seen[k.field] {
			continue // a repeated key never changes the order
		}
		seen[k.field] = true
		dir := 1
		if k.desc {
			dir = -1
		}
		if !k.isID {
			set = append(set, bson.E{Key: typeField(i), Value: bson.D{{Key: "$type", Value: "$" + k.field}}})
			sort = append(sort, bson.E{Key: typeField(i), Value: -1})
		}
		sort = append(sort, bson.E{Key: k.field, Value: dir})
	}
	if !seen["id"] {
		sort = append(sort, bson.E{Key: "id", Value: 1})
	}
	return set, sort
}

// position is where doc stands in the order.
func position(ks []sortKey, d *resourceDoc) *store.Position {
	p := &store.Position{Keys: make([]*string, len(ks)), ID: d.ID}
	for i, k := range ks {
		if k.isID {
			id := d.ID
			p.Keys[i] = &id
			continue
		}
		if v, ok := d.So[k.field[len(fSo)+1:]]; ok {
			p.Keys[i] = &v
		}
	}
	return p
}

// afterFilter keeps the documents strictly after pos: for some i, equal on the keys before i
// and after on key i (the id last).
func afterFilter(ks []sortKey, pos *store.Position) (bson.D, error) {
	if len(pos.Keys) != len(ks) {
		return nil, fmt.Errorf("mongo: position has %d keys for %d sort keys: %w", len(pos.Keys), len(ks),
			store.ErrInvalidCursor)
	}
	var branches bson.A
	var prefix []bson.D
	for i, k := range ks {
		v := pos.Keys[i]
		if k.isID && v == nil {
			return nil, fmt.Errorf("mongo: position without an id key: %w", store.ErrInvalidCursor)
		}
		cmp := "$gt"
		if k.desc {
			cmp = "$lt"
		}
		switch {
		case v == nil: // nothing sorts after a missing value on this key
		case k.isID:
			branches = append(branches, and(append(clone(prefix), op(k.field, cmp, *v))))
		default:
			after := bson.D{{Key: "$or", Value: bson.A{op(k.field, cmp, *v), op(k.field, "$exists", false)}}}
			branches = append(branches, and(append(clone(prefix), after)))
		}
		if v == nil {
			prefix = append(prefix, op(k.field, "$exists", false))
		} else {
			prefix = append(prefix, eq(k.field, *v))
		}
	}
	branches = append(branches, and(append(clone(prefix), op("id", "$gt", pos.ID))))
	if len(branches) == 1 {
		return branches[0].(bson.D), nil
	}
	return bson.D{{Key: "$or", Value: branches}}, nil
}

func clone(fs []bson.D) []bson.D { return append([]bson.D(nil), fs...) }
