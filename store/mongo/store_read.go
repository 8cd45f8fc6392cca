package mongo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rorfhir/ror/store"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Read returns the newest version. When it is still pending (its writer died, or is between its
// two steps), Read rolls the current pointer forward first.
func (s *Store) Read(ctx context.Context, typ, id string) (store.Version, error) {
	d, err := s.latest(ctx, typ, id, false)
	if err != nil {
		return store.Version{}, err
	}
	if d == nil {
		return store.Version{}, fmt.Errorf("mongo: read %s/%s: %w", typ, id, store.ErrNotFound)
	}
	if d.Pending {
		full, err := s.latest(ctx, typ, id, true)
		if err != nil {
			return store.Version{}, err
		}
		if full.Pending {
			if err := s.rollForward(ctx, *full); err != nil {
				return store.Version{}, err
			}
		}
		d = full
	}
	return d.version(), nil
}

// VRead returns one version.
func (s *Store) VRead(ctx context.Context, typ, id string, vid int64) (store.Version, error) {
	var d versionDoc
	err := s.versions.FindOne(ctx, bson.D{{Key: "_id", Value: versionKey(typ, id, vid)}},
		options.FindOne().SetProjection(noIndex())).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return store.Version{}, fmt.Errorf("mongo: vread %s/%s/_history/%d: %w", typ, id, vid, store.ErrNotFound)
	}
	if err != nil {
		return store.Version{}, fmt.Errorf("mongo: vread %s/%s/_history/%d: %w", typ, id, vid, err)
	}
	return d.version(), nil
}

// History returns a page of versions, newest first, keyset on Seq.
func (s *Store) History(ctx context.Context, q store.HistoryQuery) (store.HistoryPage, error) {
	if q.Count <= 0 {
		return store.HistoryPage{}, errors.New("mongo: history: count must be > 0")
	}
	if q.ID != "" && q.Type == "" {
		return store.HistoryPage{}, errors.New("mongo: history: an id requires a type")
	}
	f := bson.D{}
	if q.Type != "" {
		f = append(f, bson.E{Key: "type", Value: q.Type})
	}
	if q.ID != "" {
		f = append(f, bson.E{Key: "id", Value: q.ID})
	}
	if !q.Since.IsZero() {
		f = append(f, bson.E{Key: "lu", Value: bson.D{{Key: "$gte", Value: ceilMilli(q.Since)}}})
	}
	if !q.At.IsZero() {
		at := floorMilli(q.At)
		f = append(f, bson.E{Key: "lu", Value: bson.D{{Key: "$lte", Value: at}}},
			bson.E{Key: "end", Value: bson.D{{Key: "$gt", Value: at}}})
	}
	if q.BeforeSeq > 0 {
		f = append(f, bson.E{Key: "seq", Value: bson.D{{Key: "$lt", Value: q.BeforeSeq}}})
	}
	cur, err := s.versions.Find(ctx, andAll(f), options.Find().SetSort(bson.D{desc("seq")}).
		SetLimit(int64(q.Count)+1).SetProjection(noIndex()))
	if err != nil {
		return store.HistoryPage{}, fmt.Errorf("mongo: history: %w", err)
	}
	var docs []versionDoc
	if err := cur.All(ctx, &docs); err != nil {
		return store.HistoryPage{}, fmt.Errorf("mongo: history: %w", err)
	}
	var page store.HistoryPage
	if len(docs) > q.Count {
		docs = docs[:q.Count]
		page.NextBeforeSeq = docs[len(docs)-1].Seq
	}
	page.Versions = make([]store.Version, len(docs))
	for i, d := range docs {
		page.Versions[i] = d.version()
	}
	return page, nil
}

// andAll turns a list of conditions, possibly on the same field, into one filter.
func andAll(f bson.D) bson.D {
	seen := map[string]bool{}
	for _, e := range f {
		if seen[e.Key] {
			a := bson.A{}
			for _, e := range f {
				a = append(a, bson.D{e})
			}
			return bson.D{{Key: "$and", Value: a}}
		}
		seen[e.Key] = true
	}
	return f
}

// floorMilli and ceilMilli turn an instant into Unix milliseconds, rounding so that comparisons
// with stored millisecond values stay exact.
func floorMilli(t time.Time) int64 {
	ms := t.UnixMilli()
	if t.Before(time.UnixMilli(ms)) {
		ms--
	}
	return ms
}

func ceilMilli(t time.Time) int64 {
	ms := floorMilli(t)
	if time.UnixMilli(ms).Before(t) {
		ms++
	}
	return ms
}
