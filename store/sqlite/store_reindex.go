package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rorfhir/ror/store"
)

// Reindex implements store.Store: the index rows of the current version are replaced in one
// transaction; the version, its Seq and the history are untouched.
func (s *Store) Reindex(ctx context.Context, typ, id string, vid int64, idx store.Index) error {
	w := store.Write{Type: typ, ID: id, VersionID: vid, Index: idx}
	params, systems := names([]store.Write{w})
	if err := s.lockWriter(ctx); err != nil {
		return fmt.Errorf("sqlite: wait for writer: %w", err)
	}
	defer s.unlockWriter()
	ids, err := s.dicts.ensure(ctx, s.w.conn, params, systems)
	if err != nil {
		return err
	}
	if err := s.w.exec(ctx, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			s.w.rollback(ctx)
		}
	}()
	st := resState{exists: true, verRow: -1}
	var deleted bool
	err = s.w.conn.QueryRowContext(ctx, "SELECT rid, vid, seq, deleted, ixmask FROM resource WHERE type = ? AND id = ?", typ, id).
		Scan(&st.rid, &st.vid, &st.seq, &deleted, &st.oldMask)
	switch {
	case errors.Is(err, sql.ErrNoRows) || err == nil && deleted:
		return fmt.Errorf("sqlite: reindex %s/%s: %w", typ, id, store.ErrNotFound)
	case err != nil:
		return fmt.Errorf("sqlite: reindex %s/%s: %w", typ, id, err)
	case st.vid != vid:
		return fmt.Errorf("sqlite: reindex %s/%s version %d, current is %d: %w", typ, id, vid, st.vid, store.ErrVersionConflict)
	}
	if err := s.w.index(ctx, ids, []store.Write{w}, map[resKey]*resState{{typ, id}: &st}); err != nil {
		return err
	}
	if err := s.w.exec(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	committed = true
	return nil
}
