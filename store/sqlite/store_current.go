package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/rorfhir/ror/store"
	zsqlite "zombiezen.com/go/sqlite"
)

var _ store.CurrentReader = (*Store)(nil)

// ReadCurrent implements store.CurrentReader: one prepared statement on a point-read
// connection, the ids given as one JSON array (json_each), each looked up by key.
func (s *Store) ReadCurrent(ctx context.Context, typ string, ids []string) ([]store.Version, error) {
	ids = distinct(ids)
	if len(ids) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("sqlite: read current %s: %w", typ, err)
	}
	out := make([]store.Version, 0, len(ids))
	err = s.points.each(ctx, `SELECT r.id, r.vid, r.seq, v.last_updated, v.body, v.enc
		FROM json_each(?) j CROSS JOIN resource r ON r.type = ? AND r.id = j.value CROSS JOIN version v ON v.seq = r.seq
		WHERE r.deleted = 0`, func(st *zsqlite.Stmt) error {
		v := store.Version{Type: typ, ID: st.ColumnText(0), VersionID: st.ColumnInt64(1), Seq: st.ColumnInt64(2),
			LastUpdated: msTime(st.ColumnInt64(3))}
		b, err := s.body(false, columnBytes(st, 4), st.ColumnInt64(5))
		if err != nil {
			return err
		}
		v.Body = b
		out = append(out, v)
		return nil
	}, string(list), typ)
	if err != nil {
		return nil, fmt.Errorf("sqlite: read current %s: %w", typ, err)
	}
	// The rows come in the order of the array (its scan is the outer loop); an ORDER BY would
	// copy every body into a sorter first. The order is checked, not assumed.
	pos := make(map[string]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	if !slices.IsSortedFunc(out, func(a, b store.Version) int { return pos[a.ID] - pos[b.ID] }) {
		slices.SortFunc(out, func(a, b store.Version) int { return pos[a.ID] - pos[b.ID] })
	}
	return out, nil
}

// distinct returns ids without repeats, in first-seen order.
func distinct(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
