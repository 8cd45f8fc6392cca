package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rorfhir/ror/store"
	zsqlite "zombiezen.com/go/sqlite"
)

var _ store.CurrentReader = (*Store)(nil)

// ReadCurrent implements store.CurrentReader: the versions the current cache holds come from
// it; the others are read by one prepared statement on a point-read connection, the ids given
// as one JSON array (json_each), each looked up by key.
func (s *Store) ReadCurrent(ctx context.Context, typ string, ids []string) ([]store.Version, error) {
	ids = distinct(ids)
	if len(ids) == 0 {
		return nil, nil
	}
	found := make(map[string]store.Version, len(ids))
	missing := ids
	if s.cur != nil {
		missing = nil
		for _, id := range ids {
			if v, ok := s.cur.version(resKey{typ, id}); ok {
				found[id] = v
			} else {
				missing = append(missing, id)
			}
		}
	}
	if len(missing) > 0 {
		gen := s.cur.generation()
		read, err := s.readCurrent(ctx, typ, missing)
		if err != nil {
			return nil, err
		}
		s.cur.fillVersions(gen, read)
		for _, v := range read {
			found[v.ID] = v
		}
	}
	out := make([]store.Version, 0, len(found))
	for _, id := range ids {
		if v, ok := found[id]; ok {
			out = append(out, v)
		}
	}
	return out, nil
}

// readCurrent reads the current versions of typ/ids from the database, in no particular order.
func (s *Store) readCurrent(ctx context.Context, typ string, ids []string) ([]store.Version, error) {
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
