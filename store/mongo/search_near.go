package mongo

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rorfhir/ror/store"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// A near sort orders by a distance computed at query time with store.DistanceKm, which no
// MongoDB $sort (nor FerretDB) computes the same way: the matches are read without their
// bodies (id, index values, sort keys), ordered in Go with the keys of every other sort
// criterion, and only the page's bodies are read. The near condition that goes with the sort
// bounds the matches to its circle.

// nearSorted says whether some sort key of q is a distance.
func nearSorted(q store.Query) bool {
	for _, k := range q.Sort {
		if k.Near != nil {
			return true
		}
	}
	return false
}

// nearRow is a match of a near-sorted search: its id and sort key values.
type nearRow struct {
	id   string
	keys []*string
}

// searchNear reads the page of q, whose order has a distance key, from the matches of p.
func (s *Store) searchNear(ctx context.Context, q store.Query, p plan, res store.SearchResult) (store.SearchResult, error) {
	if q.After != nil {
		if len(q.After.Keys) != len(q.Sort) {
			return store.SearchResult{}, fmt.Errorf("mongo: position has %d keys for %d sort keys: %w",
				len(q.After.Keys), len(q.Sort), store.ErrInvalidCursor)
		}
	}
	var rows []nearRow
	fields := bson.D{{Key: "id", Value: 1}, {Key: "ix", Value: 1}, {Key: fSo, Value: 1}}
	err := s.scan(ctx, p, fields, func(d *resourceDoc) error {
		r := nearRow{id: d.ID, keys: rowKeys(q.Sort, d)}
		if q.After == nil || compareRows(q.Sort, r, nearRow{id: q.After.ID, keys: q.After.Keys}) > 0 {
			rows = append(rows, r)
		}
		return nil
	})
	if err != nil {
		return store.SearchResult{}, err
	}
	slices.SortFunc(rows, func(a, b nearRow) int { return compareRows(q.Sort, a, b) })
	if len(rows) > q.Count {
		last := rows[q.Count-1]
		res.Next = &store.Position{ID: last.id, Keys: last.keys}
		rows = rows[:q.Count]
	}
	if len(rows) == 0 {
		return res, nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.id
	}
	filter := bson.D{{Key: "type", Value: q.Type}, {Key: "id", Value: bson.D{{Key: "$in", Value: ids}}}, {Key: "del", Value: false}}
	cur, err := s.resources.Find(ctx, filter, options.Find().SetProjection(resultFields(false)))
	if err != nil {
		return store.SearchResult{}, fmt.Errorf("mongo: search %s: %w", q.Type, err)
	}
	defer func() { _ = cur.Close(ctx) }()
	byID := make(map[string]*resourceDoc, len(rows))
	for cur.Next(ctx) {
		d := new(resourceDoc)
		if err := cur.Decode(d); err != nil {
			return store.SearchResult{}, fmt.Errorf("mongo: search %s: %w", q.Type, err)
		}
		byID[d.ID] = d
	}
	if err := cur.Err(); err != nil {
		return store.SearchResult{}, fmt.Errorf("mongo: search %s: %w", q.Type, err)
	}
	for _, id := range ids {
		if d, ok := byID[id]; ok { // a resource deleted since the first read is left out
			res.Matches = append(res.Matches, d.version())
		}
	}
	return res, nil
}

// rowKeys are the sort key values of d: distances, ids and stored sort keys (nil when missing).
func rowKeys(sort []store.SortKey, d *resourceDoc) []*string {
	keys := make([]*string, len(sort))
	for i, k := range sort {
		switch {
		case k.Near != nil:
			keys[i] = nearestKey(*k.Near, k.Param, d.Index)
		case k.Param == "_id":
			id := d.ID
			keys[i] = &id
		default:
			if v, ok := d.So[escField(k.Param)]; ok {
				keys[i] = &v
			}
		}
	}
	return keys
}

// nearestKey is the DistanceKey from pt to the nearest position of param in ix, nil without one.
func nearestKey(pt store.Point, param string, ix *store.Index) *string {
	if ix == nil {
		return nil
	}
	best := -1.0
	for _, c := range ix.Coords {
		if c.Param != param {
			continue
		}
		if d := store.DistanceKm(pt.Lat, pt.Lon, c.Lat, c.Lon); best < 0 || d < best {
			best = d
		}
	}
	if best < 0 {
		return nil
	}
	k := store.DistanceKey(best)
	return &k
}

// compareRows orders two rows as the contract says: the keys in order (byte-wise, missing last
// in either direction), then the id ascending.
func compareRows(sort []store.SortKey, a, b nearRow) int {
	for i, k := range sort {
		va, vb := a.keys[i], b.keys[i]
		switch {
		case va == nil && vb == nil:
			continue
		case va == nil:
			return 1
		case vb == nil:
			return -1
		}
		c := strings.Compare(*va, *vb)
		if k.Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return strings.Compare(a.id, b.id)
}
