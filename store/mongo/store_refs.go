package mongo

import (
	"context"
	"fmt"

	"github.com/rorfhir/ror/store"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

var _ store.ReferenceReader = (*Store)(nil)

// refsChunk is the number of resources per query of ReadReferences.
const refsChunk = 500

// ReadReferences implements store.ReferenceReader from the raw index values kept with each
// current version in `resources`.
func (s *Store) ReadReferences(ctx context.Context, vs []store.Version, params []string) ([][]store.ReferenceValue, []bool, error) {
	refs := make([][]store.ReferenceValue, len(vs))
	ok := make([]bool, len(vs))
	want := map[string]bool{}
	for _, p := range params {
		want[p] = true
	}
	at := map[string][]int{} // resource key -> positions in vs (a version may be asked twice)
	var keys []string
	for i, v := range vs {
		k := resourceKey(v.Type, v.ID)
		if at[k] == nil {
			keys = append(keys, k)
		}
		at[k] = append(at[k], i)
	}
	fields := bson.D{{Key: "type", Value: 1}, {Key: "id", Value: 1}, {Key: "v", Value: 1}, {Key: "del", Value: 1}, {Key: "ix", Value: 1}}
	for lo := 0; lo < len(keys); lo += refsChunk {
		filter := bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: keys[lo:min(lo+refsChunk, len(keys))]}}}}
		cur, err := s.resources.Find(ctx, filter, options.Find().SetProjection(fields))
		if err != nil {
			return nil, nil, fmt.Errorf("mongo: read references: %w", err)
		}
		for cur.Next(ctx) {
			var d resourceDoc
			if err := cur.Decode(&d); err != nil {
				_ = cur.Close(ctx)
				return nil, nil, fmt.Errorf("mongo: read references: %w", err)
			}
			if d.Deleted {
				continue
			}
			for _, i := range at[resourceKey(d.Type, d.ID)] {
				if vs[i].VersionID != d.V {
					continue
				}
				ok[i] = true
				if d.Index == nil {
					continue
				}
				for _, r := range d.Index.References {
					if want[r.Param] && r.ID != "" {
						refs[i] = append(refs[i], store.ReferenceValue{Param: r.Param, Type: r.Type, ID: r.ID})
					}
				}
			}
		}
		err = cur.Err()
		_ = cur.Close(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("mongo: read references: %w", err)
		}
	}
	return refs, ok, nil
}

var _ store.CurrentReader = (*Store)(nil)

// ReadCurrent implements store.CurrentReader: one query on the resources' keys.
func (s *Store) ReadCurrent(ctx context.Context, typ string, ids []string) ([]store.Version, error) {
	keys := make([]string, 0, len(ids))
	pos := make(map[string]int, len(ids))
	for _, id := range ids {
		if _, dup := pos[id]; !dup {
			pos[id] = len(keys)
			keys = append(keys, resourceKey(typ, id))
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	fields := bson.D{}
	for _, k := range []string{"type", "id", "v", "seq", "lu", "del", "body"} {
		fields = append(fields, bson.E{Key: k, Value: 1})
	}
	cur, err := s.resources.Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: keys}}}, {Key: "del", Value: false}},
		options.Find().SetProjection(fields))
	if err != nil {
		return nil, fmt.Errorf("mongo: read current %s: %w", typ, err)
	}
	defer func() { _ = cur.Close(ctx) }()
	found := make([]*store.Version, len(keys))
	for cur.Next(ctx) {
		var d resourceDoc
		if err := cur.Decode(&d); err != nil {
			return nil, fmt.Errorf("mongo: read current %s: %w", typ, err)
		}
		if i, ok := pos[d.ID]; ok && d.Type == typ {
			v := d.version()
			found[i] = &v
		}
	}
	if err := cur.Err(); err != nil {
		return nil, fmt.Errorf("mongo: read current %s: %w", typ, err)
	}
	out := make([]store.Version, 0, len(keys))
	for _, v := range found {
		if v != nil {
			out = append(out, *v)
		}
	}
	return out, nil
}
