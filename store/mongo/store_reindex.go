package mongo

import (
	"context"
	"fmt"

	"github.com/rorfhir/ror/store"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// Reindex implements store.Store. The newest version (the source of truth, rolled forward first
// if its writer died half-way) must be vid; its raw values are replaced (so that a later
// roll-forward rebuilds the same keys), then the current pointer is rebuilt with the new keys,
// guarded so that it only applies while vid is still current.
func (s *Store) Reindex(ctx context.Context, typ, id string, vid int64, idx store.Index) error {
	d, err := s.latest(ctx, typ, id, true)
	switch {
	case err != nil:
		return err
	case d == nil || d.Deleted:
		return fmt.Errorf("mongo: reindex %s/%s: %w", typ, id, store.ErrNotFound)
	case d.V != vid:
		return fmt.Errorf("mongo: reindex %s/%s version %d, current is %d: %w", typ, id, vid, d.V, store.ErrVersionConflict)
	}
	if d.Pending {
		if err := s.rollForward(ctx, *d); err != nil {
			return err
		}
	}
	d.Index, d.Pending = &idx, false
	if _, err := s.versions.UpdateOne(ctx, bson.D{{Key: "_id", Value: d.Key}, {Key: "end", Value: int64(noEnd)}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "ix", Value: idx}}}}); err != nil {
		return fmt.Errorf("mongo: reindex %s/%s: %w", typ, id, err)
	}
	r, err := s.resources.ReplaceOne(ctx, bson.D{{Key: "_id", Value: resourceKey(typ, id)}, {Key: "v", Value: vid}},
		d.current())
	if err != nil {
		return fmt.Errorf("mongo: reindex %s/%s: %w", typ, id, err)
	}
	if r.MatchedCount == 0 {
		return fmt.Errorf("mongo: reindex %s/%s: version %d is no longer current: %w", typ, id, vid, store.ErrVersionConflict)
	}
	return nil
}
