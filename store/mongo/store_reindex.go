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

// Reindex implements store.Store: the current pointer document is replaced with the same version
// carrying the new keys (only while it is still version vid), and the version document's raw
// values follow, so that a later roll-forward rebuilds the same keys.
func (s *Store) Reindex(ctx context.Context, typ, id string, vid int64, idx store.Index) error {
	var cur resourceDoc
	err := s.resources.FindOne(ctx, bson.D{{Key: "_id", Value: resourceKey(typ, id)}},
		options.FindOne().SetProjection(noIndex())).Decode(&cur)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments) || err == nil && cur.Deleted:
		return fmt.Errorf("mongo: reindex %s/%s: %w", typ, id, store.ErrNotFound)
	case err != nil:
		return fmt.Errorf("mongo: reindex %s/%s: %w", typ, id, err)
	case cur.V != vid:
		return fmt.Errorf("mongo: reindex %s/%s version %d, current is %d: %w", typ, id, vid, cur.V, store.ErrVersionConflict)
	}
	d := versionDoc{Key: versionKey(typ, id, vid), Type: typ, ID: id, V: vid, Seq: cur.Seq, LU: cur.LU, Body: cur.Body, Index: &idx}
	if _, err := s.versions.UpdateOne(ctx, bson.D{{Key: "_id", Value: d.Key}, {Key: "end", Value: noEnd}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "ix", Value: idx}}}}); err != nil {
		return fmt.Errorf("mongo: reindex %s/%s: %w", typ, id, err)
	}
	r, err := s.resources.ReplaceOne(ctx, bson.D{{Key: "_id", Value: resourceKey(typ, id)}, {Key: "v", Value: vid}, {Key: "del", Value: false}}, d.current())
	if err != nil {
		return fmt.Errorf("mongo: reindex %s/%s: %w", typ, id, err)
	}
	if r.MatchedCount == 0 {
		return fmt.Errorf("mongo: reindex %s/%s: version %d is no longer current: %w", typ, id, vid, store.ErrVersionConflict)
	}
	return nil
}
