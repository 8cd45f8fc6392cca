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

// noIndex leaves the raw index values out of fetched versions.
func noIndex() bson.D { return bson.D{{Key: "ix", Value: 0}} }

// Put appends w as the next version and moves the current pointer (see the package comment).
func (s *Store) Put(ctx context.Context, w store.Write) (store.Version, error) {
	return s.put(ctx, w)
}

// PutMany applies ws in order. On a replica set it runs in one transaction (all or nothing);
// otherwise the writes before the failing one stay.
func (s *Store) PutMany(ctx context.Context, ws []store.Write) ([]store.Version, error) {
	if !s.caps.Transactions {
		return s.putSeq(ctx, ws)
	}
	sess, err := s.client.StartSession()
	if err != nil {
		return nil, fmt.Errorf("mongo: start session: %w", err)
	}
	defer sess.EndSession(ctx)
	out, err := sess.WithTransaction(ctx, func(ctx context.Context) (any, error) {
		return s.putSeq(ctx, ws)
	})
	if err != nil {
		return nil, err
	}
	return out.([]store.Version), nil
}

func (s *Store) putSeq(ctx context.Context, ws []store.Write) ([]store.Version, error) {
	out := make([]store.Version, 0, len(ws))
	for i, w := range ws {
		v, err := s.put(ctx, w)
		if err != nil {
			return out, &store.BatchError{Index: i, Err: err}
		}
		out = append(out, v)
	}
	return out, nil
}

func (s *Store) put(ctx context.Context, w store.Write) (store.Version, error) {
	if w.Type == "" || w.ID == "" {
		return store.Version{}, errors.New("mongo: put: type and id are required")
	}
	if w.VersionID < 1 {
		return store.Version{}, fmt.Errorf("mongo: put %s/%s version %d: %w", w.Type, w.ID, w.VersionID,
			store.ErrVersionConflict)
	}
	cur, err := s.latestVersionID(ctx, w.Type, w.ID)
	if err != nil {
		return store.Version{}, err
	}
	if cur != w.VersionID-1 {
		return store.Version{}, fmt.Errorf("mongo: put %s/%s version %d over version %d: %w", w.Type, w.ID,
			w.VersionID, cur, store.ErrVersionConflict)
	}
	d, err := s.insertVersion(ctx, w)
	if err != nil {
		return store.Version{}, err
	}
	if err := s.rollForward(ctx, d); err != nil {
		return store.Version{}, err
	}
	return d.version(), nil
}

// latest returns the newest version of a resource (nil when none); withIndex keeps its raw
// index values (needed to roll forward).
func (s *Store) latest(ctx context.Context, typ, id string, withIndex bool) (*versionDoc, error) {
	o := options.FindOne().SetSort(bson.D{desc("v")})
	if !withIndex {
		o.SetProjection(noIndex())
	}
	var d versionDoc
	err := s.versions.FindOne(ctx, bson.D{{Key: "type", Value: typ}, {Key: "id", Value: id}}, o).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("mongo: read %s/%s: %w", typ, id, err)
	}
	return &d, nil
}

// latestVersionID is the newest version number of a resource (0 when none).
func (s *Store) latestVersionID(ctx context.Context, typ, id string) (int64, error) {
	var d struct {
		V int64 `bson:"v"`
	}
	err := s.versions.FindOne(ctx, bson.D{{Key: "type", Value: typ}, {Key: "id", Value: id}},
		options.FindOne().SetSort(bson.D{desc("v")}).SetProjection(bson.D{{Key: "v", Value: 1}})).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("mongo: read %s/%s: %w", typ, id, err)
	}
	return d.V, nil
}

// rollForward completes the write of version d: it closes the previous version (its `end`),
// moves the current pointer to d unless it is already there or beyond, then clears d's pending
// flag. Every step is idempotent: a reader or a later writer may run it again.
func (s *Store) rollForward(ctx context.Context, d versionDoc) error {
	if d.V > 1 {
		_, err := s.versions.UpdateOne(ctx, bson.D{{Key: "_id", Value: versionKey(d.Type, d.ID, d.V-1)}},
			bson.D{
				{Key: "$set", Value: bson.D{{Key: "end", Value: d.LU}}},
				{Key: "$unset", Value: bson.D{{Key: "ix", Value: ""}, {Key: "pend", Value: ""}}},
			})
		if err != nil {
			return fmt.Errorf("mongo: close version %d of %s/%s: %w", d.V-1, d.Type, d.ID, err)
		}
	}
	filter := bson.D{{Key: "_id", Value: resourceKey(d.Type, d.ID)}, {Key: "v", Value: bson.D{{Key: "$lt", Value: d.V}}}}
	_, err := s.resources.ReplaceOne(ctx, filter, d.current(), options.Replace().SetUpsert(true))
	if err != nil && !mongo.IsDuplicateKeyError(err) { // duplicate: the pointer is already further
		return fmt.Errorf("mongo: move current pointer of %s/%s: %w", d.Type, d.ID, err)
	}
	_, err = s.versions.UpdateOne(ctx, bson.D{{Key: "_id", Value: d.Key}},
		bson.D{{Key: "$unset", Value: bson.D{{Key: "pend", Value: ""}}}})
	if err != nil {
		return fmt.Errorf("mongo: clear pending flag of %s: %w", d.Key, err)
	}
	return nil
}

// maxSeqAttempts bounds the retries of a writer that keeps losing the race for the next Seq.
const maxSeqAttempts = 1000

// insertVersion inserts w as a version document with Seq = highest stored Seq + 1. The unique
// index on seq makes of the global sequence a chain of compare-and-set steps: a writer whose Seq
// was taken meanwhile retries with the new highest, so that Seq order is commit order (a change
// with a lower Seq can never appear after one with a higher Seq) without any counter document.
// A duplicate on (type, id, v) instead means another writer of the same version won.
func (s *Store) insertVersion(ctx context.Context, w store.Write) (versionDoc, error) {
	for range maxSeqAttempts {
		top, err := s.maxSeq(ctx)
		if err != nil {
			return versionDoc{}, err
		}
		d := newVersionDoc(w, top+1)
		_, err = s.versions.InsertOne(ctx, d)
		if err == nil {
			return d, nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return versionDoc{}, fmt.Errorf("mongo: insert version: %w", err)
		}
		n, cerr := s.versions.CountDocuments(ctx, bson.D{{Key: "_id", Value: d.Key}})
		if cerr != nil {
			return versionDoc{}, fmt.Errorf("mongo: insert version: %w", cerr)
		}
		if n > 0 {
			return versionDoc{}, fmt.Errorf("mongo: put %s/%s version %d: %w", w.Type, w.ID, w.VersionID,
				store.ErrVersionConflict)
		}
		if mongo.SessionFromContext(ctx) != nil {
			return versionDoc{}, fmt.Errorf("mongo: insert version in a transaction: %w", err)
		}
	}
	return versionDoc{}, fmt.Errorf("mongo: no free sequence number after %d attempts", maxSeqAttempts)
}

// maxSeq is the highest Seq stored (0 when empty).
func (s *Store) maxSeq(ctx context.Context) (int64, error) {
	var d struct {
		Seq int64 `bson:"seq"`
	}
	err := s.versions.FindOne(ctx, bson.D{}, options.FindOne().SetSort(bson.D{desc("seq")}).
		SetProjection(bson.D{{Key: "seq", Value: 1}})).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("mongo: highest sequence number: %w", err)
	}
	return d.Seq, nil
}

// Repair rolls forward every version left pending by a writer that died between inserting it and
// moving the current pointer. Open runs it; running it while writes happen is safe.
func (s *Store) Repair(ctx context.Context) error {
	cur, err := s.versions.Find(ctx, bson.D{{Key: "pend", Value: true}})
	if err != nil {
		return fmt.Errorf("mongo: find pending versions: %w", err)
	}
	defer func() { _ = cur.Close(ctx) }()
	for cur.Next(ctx) {
		var d versionDoc
		if err := cur.Decode(&d); err != nil {
			return fmt.Errorf("mongo: decode pending version: %w", err)
		}
		if err := s.rollForward(ctx, d); err != nil {
			return err
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("mongo: find pending versions: %w", err)
	}
	return nil
}
