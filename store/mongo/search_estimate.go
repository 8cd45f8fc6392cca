package mongo

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/rorfhir/ror/store"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// A cheap total (Query.TotalCap, for _total=estimate) never counts every match. It counts the
// matches up to TotalCap+1; when there are more, it tests a sample of the type's resources:
// estimateWindows windows of consecutive change sequences (index type_seq) spread evenly over
// the type's documents, about estimateSample documents in all, and scales the share of matches
// in the sample to the type's documents. A type with few documents is sampled whole: the
// estimate is then exact.
const (
	estimateSample  = 2000
	estimateWindows = 50
)

var errEnough = errors.New("enough matches counted")

// estimateTotal is the bounded count or the estimate of the matches of p.
func (s *Store) estimateTotal(ctx context.Context, q store.Query, p plan) (int, error) {
	limit := int64(q.TotalCap) + 1
	var n int64
	if p.exact {
		c, err := s.resources.CountDocuments(ctx, p.filter, options.Count().SetLimit(limit))
		if err != nil {
			return 0, fmt.Errorf("mongo: count: %w", err)
		}
		n = c
	} else {
		err := s.scan(ctx, p, bson.D{{Key: "id", Value: 1}, {Key: "ix", Value: 1}}, func(*resourceDoc) error {
			if n++; n >= limit {
				return errEnough
			}
			return nil
		})
		if err != nil && !errors.Is(err, errEnough) {
			return 0, err
		}
	}
	if n <= int64(q.TotalCap) {
		return int(n), nil
	}
	est, err := s.sampleEstimate(ctx, q, p, estimateSample, estimateWindows)
	if err != nil {
		return 0, err
	}
	return max(est, q.TotalCap+1), nil
}

// sampleEstimate extrapolates the number of matches of p from about sample documents of its
// type, read in windows of consecutive seqs.
func (s *Store) sampleEstimate(ctx context.Context, q store.Query, p plan, sample, windows int) (int, error) {
	typ := bson.D{{Key: "type", Value: q.Type}}
	rows, err := s.resources.CountDocuments(ctx, typ)
	if err != nil {
		return 0, fmt.Errorf("mongo: count: %w", err)
	}
	if rows == 0 {
		return 0, nil
	}
	end := func(dir int) (int64, error) {
		var d struct {
			Seq int64 `bson:"seq"`
		}
		o := options.FindOne().SetSort(bson.D{{Key: "type", Value: 1}, {Key: "seq", Value: dir}}).
			SetProjection(bson.D{{Key: "seq", Value: 1}})
		if err := s.resources.FindOne(ctx, typ, o).Decode(&d); err != nil {
			return 0, fmt.Errorf("mongo: search estimate: %w", err)
		}
		return d.Seq, nil
	}
	lo, err := end(1)
	if err != nil {
		return 0, err
	}
	hi, err := end(-1)
	if err != nil {
		return 0, err
	}
	span := hi - lo + 1
	w := int64(math.Ceil(float64(sample) / float64(windows) * float64(span) / float64(rows)))
	step := span / int64(windows)
	if step < w || w*int64(windows) >= span {
		w, step = span, span
	}
	var wins bson.A
	for a := lo; a <= hi; a += step {
		wins = append(wins, bson.D{{Key: "seq", Value: bson.D{{Key: "$gte", Value: a}, {Key: "$lt", Value: a + w}}}})
	}
	filter := bson.D{{Key: "type", Value: q.Type}, {Key: "$or", Value: wins}}
	fields := bson.D{{Key: "id", Value: 1}, {Key: "del", Value: 1}, {Key: "seq", Value: 1}, {Key: "ix", Value: 1}}
	cur, err := s.resources.Find(ctx, filter, options.Find().SetProjection(fields).SetBatchSize(1000))
	if err != nil {
		return 0, fmt.Errorf("mongo: search estimate: %w", err)
	}
	defer func() { _ = cur.Close(ctx) }()
	var seen, matched int64
	for cur.Next(ctx) {
		d := new(resourceDoc)
		if err := cur.Decode(d); err != nil {
			return 0, fmt.Errorf("mongo: search estimate: %w", err)
		}
		seen++
		if !d.Deleted && (q.MaxSeq == 0 || d.Seq <= q.MaxSeq) && matchWhere(d.ID, d.Index, p.where) {
			matched++
		}
	}
	if err := cur.Err(); err != nil {
		return 0, fmt.Errorf("mongo: search estimate: %w", err)
	}
	if seen == 0 {
		return 0, nil
	}
	return int(math.Round(float64(matched) / float64(seen) * float64(rows))), nil
}
