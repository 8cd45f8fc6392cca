package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rorfhir/ror/store"
	zsqlite "zombiezen.com/go/sqlite"
)

// Read implements store.Store.
func (s *Store) Read(ctx context.Context, typ, id string) (store.Version, error) {
	v := store.Version{Type: typ, ID: id}
	var ms, enc int64
	var body []byte
	found, err := s.points.row(ctx, `SELECT r.vid, r.seq, v.last_updated, r.deleted, v.body, v.enc
		FROM resource r JOIN version v ON v.seq = r.seq WHERE r.type = ? AND r.id = ?`, func(st *zsqlite.Stmt) error {
		v.VersionID, v.Seq, ms, v.Deleted = st.ColumnInt64(0), st.ColumnInt64(1), st.ColumnInt64(2), st.ColumnBool(3)
		body, enc = columnBytes(st, 4), st.ColumnInt64(5)
		return nil
	}, typ, id)
	if err != nil {
		return store.Version{}, fmt.Errorf("sqlite: read %s/%s: %w", typ, id, err)
	}
	if !found {
		return store.Version{}, fmt.Errorf("sqlite: %s/%s: %w", typ, id, store.ErrNotFound)
	}
	v.LastUpdated = msTime(ms)
	if v.Body, err = s.body(v.Deleted, body, enc); err != nil {
		return store.Version{}, err
	}
	return v, nil
}

// VRead implements store.Store.
func (s *Store) VRead(ctx context.Context, typ, id string, vid int64) (store.Version, error) {
	v := store.Version{Type: typ, ID: id, VersionID: vid}
	var ms, enc int64
	var body []byte
	found, err := s.points.row(ctx, `SELECT seq, last_updated, deleted, body, enc
		FROM version WHERE type = ? AND id = ? AND vid = ?`, func(st *zsqlite.Stmt) error {
		v.Seq, ms, v.Deleted = st.ColumnInt64(0), st.ColumnInt64(1), st.ColumnBool(2)
		body, enc = columnBytes(st, 3), st.ColumnInt64(4)
		return nil
	}, typ, id, vid)
	if err != nil {
		return store.Version{}, fmt.Errorf("sqlite: vread %s/%s/%d: %w", typ, id, vid, err)
	}
	if !found {
		return store.Version{}, fmt.Errorf("sqlite: %s/%s/_history/%d: %w", typ, id, vid, store.ErrNotFound)
	}
	v.LastUpdated = msTime(ms)
	if v.Body, err = s.body(v.Deleted, body, enc); err != nil {
		return store.Version{}, err
	}
	return v, nil
}

// body decodes a stored body: nil for a tombstone, a non-nil slice otherwise.
func (s *Store) body(deleted bool, b []byte, enc int64) ([]byte, error) {
	if deleted {
		return nil, nil
	}
	out, err := s.codec.unpack(b, enc)
	return bodyOf(false, out), err
}

// bodyOf returns nil for a tombstone and a non-nil slice otherwise.
func bodyOf(deleted bool, body []byte) []byte {
	if deleted {
		return nil
	}
	if body == nil {
		return []byte{}
	}
	return body
}

// History implements store.Store. Versions come newest first; a page ends where the keyset on
// the change sequence says, so paging while writes arrive never repeats nor skips a version
// committed before the first page. With At, each resource contributes the version current at
// that instant, a tombstone included when the resource was deleted then.
func (s *Store) History(ctx context.Context, q store.HistoryQuery) (store.HistoryPage, error) {
	if q.Count <= 0 {
		return store.HistoryPage{}, errors.New("sqlite: history: Count must be > 0")
	}
	if q.ID != "" && q.Type == "" {
		return store.HistoryPage{}, errors.New("sqlite: history: ID requires Type")
	}
	var where []string
	var args []any
	order := "seq DESC"
	switch {
	case q.ID != "":
		where, args = append(where, "type = ?", "id = ?"), append(args, q.Type, q.ID)
		order = "vid DESC" // same order as seq within one resource, served by version_instance
	case q.Type != "":
		where, args = append(where, "type = ?"), append(args, q.Type)
	}
	if q.BeforeSeq > 0 {
		where, args = append(where, "seq < ?"), append(args, q.BeforeSeq)
	}
	if !q.Since.IsZero() {
		where, args = append(where, "last_updated >= ?"), append(args, q.Since.UnixMilli())
	}
	if !q.At.IsZero() {
		at := q.At.UnixMilli()
		where = append(where, "last_updated <= ?", "(superseded_at IS NULL OR superseded_at > ?)")
		args = append(args, at, at)
	}
	sqlq := "SELECT seq, type, id, vid, last_updated, deleted, body, enc, coalesce(method, '') FROM version"
	if len(where) > 0 {
		sqlq += " WHERE " + strings.Join(where, " AND ")
	}
	sqlq += " ORDER BY " + order + " LIMIT ?"
	args = append(args, q.Count+1)
	rows, err := s.read.QueryContext(ctx, sqlq, args...)
	if err != nil {
		return store.HistoryPage{}, fmt.Errorf("sqlite: history: %w", err)
	}
	defer rows.Close()
	var page store.HistoryPage
	for rows.Next() {
		var v store.Version
		var ms int64
		var body []byte
		var enc int64
		if err := rows.Scan(&v.Seq, &v.Type, &v.ID, &v.VersionID, &ms, &v.Deleted, &body, &enc, &v.Method); err != nil {
			return store.HistoryPage{}, fmt.Errorf("sqlite: history: %w", err)
		}
		v.LastUpdated = msTime(ms)
		if v.Body, err = s.body(v.Deleted, body, enc); err != nil {
			return store.HistoryPage{}, err
		}
		page.Versions = append(page.Versions, v)
	}
	if err := rows.Err(); err != nil {
		return store.HistoryPage{}, fmt.Errorf("sqlite: history: %w", err)
	}
	if len(page.Versions) > q.Count {
		page.Versions = page.Versions[:q.Count]
		page.NextBeforeSeq = page.Versions[q.Count-1].Seq
	}
	return page, nil
}
