package mongo

import (
	"context"
	"errors"
	"fmt"

	"github.com/rorfhir/ror/store"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// maxChainDepth bounds nested chains (Target within Target, Has within Has).
const maxChainDepth = 4

// plan is a compiled search: the MongoDB filter and whether it is exact.
type plan struct {
	where  []clause
	filter bson.D // type, not deleted, the clauses (superset when !exact)
	exact  bool
}

func (p plan) matches(d *resourceDoc) bool {
	return p.exact || matchWhere(d.ID, d.Index, p.where)
}

// Search evaluates q over current, non-deleted versions.
func (s *Store) Search(ctx context.Context, q store.Query) (store.SearchResult, error) {
	if q.Type == "" {
		return store.SearchResult{}, errors.New("mongo: search: a type is required")
	}
	top, err := s.maxSeq(ctx)
	if err != nil {
		return store.SearchResult{}, err
	}
	res := store.SearchResult{Total: -1, MaxSeq: top}
	p, err := s.compile(ctx, q.Type, q.Where, 0)
	if err != nil {
		return store.SearchResult{}, err
	}
	if q.MaxSeq > 0 {
		p.filter = and([]bson.D{p.filter, op("seq", "$lte", q.MaxSeq)})
	}
	if q.Total {
		if res.Total, err = s.count(ctx, p); err != nil {
			return store.SearchResult{}, err
		}
	} else if q.TotalCap > 0 { // search_estimate.go
		if res.Total, err = s.estimateTotal(ctx, q, p); err != nil {
			return store.SearchResult{}, err
		}
	}
	if q.Count <= 0 {
		return res, nil
	}
	if nearSorted(q) {
		return s.searchNear(ctx, q, p, res)
	}
	ks := sortKeys(q)
	match := and(append([]bson.D{p.filter}, keyBounds(q)...))
	if q.After != nil {
		af, err := afterFilter(ks, q.After)
		if err != nil {
			return store.SearchResult{}, err
		}
		match = and([]bson.D{match, af})
	}
	set, sort := sortStages(ks)
	pipe := mongo.Pipeline{{{Key: "$match", Value: match}}}
	if set != nil {
		pipe = append(pipe, bson.D{{Key: "$set", Value: set}})
	}
	pipe = append(pipe, bson.D{{Key: "$sort", Value: sort}})
	if p.exact {
		pipe = append(pipe, bson.D{{Key: "$limit", Value: int64(q.Count) + 1}})
	}
	pipe = append(pipe, bson.D{{Key: "$project", Value: resultFields(!p.exact)}})
	o := options.Aggregate().SetAllowDiskUse(true)
	if !p.exact {
		o.SetBatchSize(int32(min(max(2*q.Count, 100), 1000)))
	}
	cur, err := s.resources.Aggregate(ctx, pipe, o)
	if err != nil {
		return store.SearchResult{}, fmt.Errorf("mongo: search %s: %w", q.Type, err)
	}
	defer func() { _ = cur.Close(ctx) }()
	var docs []*resourceDoc
	for len(docs) <= q.Count && cur.Next(ctx) {
		d := new(resourceDoc)
		if err := cur.Decode(d); err != nil {
			return store.SearchResult{}, fmt.Errorf("mongo: search %s: %w", q.Type, err)
		}
		if p.matches(d) {
			docs = append(docs, d)
		}
	}
	if err := cur.Err(); err != nil {
		return store.SearchResult{}, fmt.Errorf("mongo: search %s: %w", q.Type, err)
	}
	if len(docs) > q.Count {
		docs = docs[:q.Count]
		res.Next = position(ks, docs[len(docs)-1])
	}
	res.Matches = make([]store.Version, len(docs))
	for i, d := range docs {
		res.Matches[i] = d.version()
	}
	return res, nil
}

// resultFields projects what a result needs (and the raw values when checked in Go).
func resultFields(withIndex bool) bson.D {
	f := bson.D{}
	for _, k := range []string{"type", "id", "v", "seq", "lu", "del", "body", fSo} {
		f = append(f, bson.E{Key: k, Value: 1})
	}
	if withIndex {
		f = append(f, bson.E{Key: "ix", Value: 1})
	}
	return f
}

// count is the exact number of matches.
func (s *Store) count(ctx context.Context, p plan) (int, error) {
	if p.exact {
		n, err := s.resources.CountDocuments(ctx, p.filter)
		if err != nil {
			return 0, fmt.Errorf("mongo: count: %w", err)
		}
		return int(n), nil
	}
	n := 0
	err := s.scan(ctx, p, bson.D{{Key: "id", Value: 1}, {Key: "ix", Value: 1}}, func(*resourceDoc) error {
		n++
		return nil
	})
	return n, err
}

// scan calls f for each match of p (in no particular order).
func (s *Store) scan(ctx context.Context, p plan, fields bson.D, f func(*resourceDoc) error) error {
	cur, err := s.resources.Find(ctx, p.filter, options.Find().SetProjection(fields).SetBatchSize(1000))
	if err != nil {
		return fmt.Errorf("mongo: search: %w", err)
	}
	defer func() { _ = cur.Close(ctx) }()
	for cur.Next(ctx) {
		d := new(resourceDoc)
		if err := cur.Decode(d); err != nil {
			return fmt.Errorf("mongo: search: %w", err)
		}
		if p.matches(d) {
			if err := f(d); err != nil {
				return err
			}
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("mongo: search: %w", err)
	}
	return nil
}

// compile resolves the chains of where (running their inner queries) and builds the filter.
func (s *Store) compile(ctx context.Context, typ string, where []store.Clause, depth int) (plan, error) {
	cls, err := s.resolve(ctx, typ, where, depth)
	if err != nil {
		return plan{}, err
	}
	wf, exact, err := whereFilter(cls)
	if err != nil {
		return plan{}, err
	}
	base := bson.D{{Key: "type", Value: typ}, {Key: "del", Value: false}}
	if wf != nil {
		base = and([]bson.D{base, wf})
	}
	return plan{where: cls, filter: base, exact: exact}, nil
}

// resolve runs the inner queries of the chains and reverse chains of where, nested alternatives
// included.
func (s *Store) resolve(ctx context.Context, typ string, where []store.Clause, depth int) ([]clause, error) {
	if depth > maxChainDepth {
		return nil, fmt.Errorf("mongo: chains nested deeper than %d: %w", maxChainDepth, store.ErrUnsupported)
	}
	out := make([]clause, len(where))
	for i, cl := range where {
		out[i] = make(clause, len(cl.Any))
		for j, c := range cl.Any {
			rc := cond{Cond: c}
			var err error
			switch {
			case c.Kind == store.KindReference && c.Target != nil:
				rc.ids, err = s.targetIDs(ctx, *c.Target, depth)
			case c.Kind == store.KindHas && c.Op != store.OpMissing:
				if c.Has == nil || c.Has.Type == "" || c.Has.Param == "" {
					return nil, fmt.Errorf("mongo: _has without type and parameter: %w", store.ErrUnsupported)
				}
				rc.ids, err = s.hasIDs(ctx, typ, *c.Has, depth)
			case c.Kind == store.KindOr:
				rc.or = make([][]clause, len(c.Or))
				for k, alt := range c.Or { // nesting is not chaining: same depth
					if rc.or[k], err = s.resolve(ctx, typ, alt, depth); err != nil {
						break
					}
				}
			}
			if err != nil {
				return nil, err
			}
			out[i][j] = rc
		}
	}
	return out, nil
}

func (s *Store) tooMany(what string) error {
	return fmt.Errorf("mongo: %s matches more than %d resources: %w", what, s.maxChain, store.ErrUnsupported)
}

// targetIDs runs a chained query: the ids of t.Type resources matching t.Where.
func (s *Store) targetIDs(ctx context.Context, t store.Query, depth int) (map[string]bool, error) {
	p, err := s.compile(ctx, t.Type, t.Where, depth+1)
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	err = s.scan(ctx, p, bson.D{{Key: "id", Value: 1}, {Key: "ix", Value: 1}}, func(d *resourceDoc) error {
		if len(ids) >= s.maxChain {
			return s.tooMany("chained search on " + t.Type)
		}
		ids[d.ID] = true
		return nil
	})
	return ids, err
}

// hasIDs runs a reverse chain: the ids of typ resources that matching h.Type resources reference
// through h.Param.
func (s *Store) hasIDs(ctx context.Context, typ string, h store.HasCond, depth int) (map[string]bool, error) {
	p, err := s.compile(ctx, h.Type, h.Where, depth+1)
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	n := 0
	err = s.scan(ctx, p, bson.D{{Key: "id", Value: 1}, {Key: "ix", Value: 1}}, func(d *resourceDoc) error {
		if n++; n > s.maxChain {
			return s.tooMany("_has on " + h.Type)
		}
		if d.Index == nil {
			return nil
		}
		for _, r := range d.Index.References {
			if r.Param == h.Param && r.Type == typ && r.ID != "" {
				ids[r.ID] = true
			}
		}
		return nil
	})
	return ids, err
}
