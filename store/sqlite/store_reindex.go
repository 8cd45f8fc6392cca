package sqlite

import (
	"context"
	"fmt"

	"github.com/rorfhir/ror/store"
	zsqlite "zombiezen.com/go/sqlite"
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
	defer s.w.interruptOn(ctx)()
	ids, err := s.dicts.ensure(s.w, params, systems)
	if err != nil {
		return err
	}
	if err := s.w.begin(); err != nil {
		return err
	}
	keys := []resKey{{typ, id}}
	s.cur.begin(keys)
	committed := false
	defer func() {
		if !committed {
			s.w.rollback()
		}
		s.cur.end(keys)
	}()
	st := resState{exists: true, verRow: -1}
	var deleted, found bool
	err = s.w.query("SELECT rid, vid, seq, deleted, ixmask FROM resource WHERE type = ? AND id = ?", func(r *zsqlite.Stmt) error {
		st.rid, st.vid, st.seq, deleted, st.oldMask, found = r.ColumnInt64(0), r.ColumnInt64(1), r.ColumnInt64(2), r.ColumnBool(3), r.ColumnInt64(4), true
		return nil
	}, typ, id)
	switch {
	case err != nil:
		return fmt.Errorf("sqlite: reindex %s/%s: %w", typ, id, err)
	case !found || deleted:
		return fmt.Errorf("sqlite: reindex %s/%s: %w", typ, id, store.ErrNotFound)
	case st.vid != vid:
		return fmt.Errorf("sqlite: reindex %s/%s version %d, current is %d: %w", typ, id, vid, st.vid, store.ErrVersionConflict)
	}
	if err := s.w.index(ids, []store.Write{w}, map[resKey]*resState{{typ, id}: &st}); err != nil {
		return err
	}
	if err := s.w.commit(); err != nil {
		return err
	}
	committed = true
	return nil
}
