package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rorfhir/ror/store"
)

// Put implements store.Store.
func (s *Store) Put(ctx context.Context, w store.Write) (store.Version, error) {
	vs, err := s.putMany(ctx, []store.Write{w})
	if err != nil {
		var be *store.BatchError
		if errors.As(err, &be) {
			return store.Version{}, be.Err
		}
		return store.Version{}, err
	}
	return vs[0], nil
}

// PutMany implements store.Store: the writes are applied in one transaction, all or none.
func (s *Store) PutMany(ctx context.Context, ws []store.Write) ([]store.Version, error) {
	if len(ws) == 0 {
		return nil, nil
	}
	return s.putMany(ctx, ws)
}

func (s *Store) putMany(ctx context.Context, ws []store.Write) (vs []store.Version, err error) {
	for i, w := range ws {
		if err := checkWrite(w); err != nil {
			return nil, &store.BatchError{Index: i, Err: err}
		}
	}
	if err := s.lockWriter(ctx); err != nil {
		return nil, fmt.Errorf("sqlite: wait for writer: %w", err)
	}
	defer s.unlockWriter()
	params, systems := names(ws)
	if err := s.dicts.ensure(ctx, s.w.conn, params, systems); err != nil {
		return nil, err
	}
	if _, err := s.w.conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return nil, fmt.Errorf("sqlite: begin: %w", err)
	}
	defer func() {
		if err != nil {
			_, _ = s.w.conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	vs = make([]store.Version, len(ws))
	for i, w := range ws {
		if vs[i], err = s.w.put(ctx, s.dicts, w); err != nil {
			return nil, &store.BatchError{Index: i, Err: err}
		}
	}
	if _, err = s.w.conn.ExecContext(ctx, "COMMIT"); err != nil {
		return nil, fmt.Errorf("sqlite: commit: %w", err)
	}
	return vs, nil
}

// checkWrite rejects writes that can never be stored.
func checkWrite(w store.Write) error {
	switch {
	case w.Type == "" || w.ID == "":
		return errors.New("sqlite: write without type or id")
	case w.VersionID < 1:
		return fmt.Errorf("sqlite: write %s/%s: version %d: %w", w.Type, w.ID, w.VersionID, store.ErrVersionConflict)
	}
	return nil
}

// names lists the parameters and token systems a batch needs interned.
func names(ws []store.Write) ([]paramKey, []string) {
	seenP := map[paramKey]bool{}
	seenS := map[string]bool{}
	var ps []paramKey
	var ss []string
	addP := func(typ, name string) {
		k := paramKey{typ, name}
		if !seenP[k] {
			seenP[k] = true
			ps = append(ps, k)
		}
	}
	for _, w := range ws {
		ix := &w.Index
		for _, v := range ix.Tokens {
			addP(w.Type, v.Param)
			if !seenS[v.System] {
				seenS[v.System] = true
				ss = append(ss, v.System)
			}
		}
		for _, v := range ix.Strings {
			addP(w.Type, v.Param)
		}
		for _, v := range ix.Dates {
			addP(w.Type, v.Param)
		}
		for _, v := range ix.Numbers {
			addP(w.Type, v.Param)
		}
		for _, v := range ix.References {
			addP(w.Type, v.Param)
		}
		for _, v := range ix.URIs {
			addP(w.Type, v.Param)
		}
		for _, v := range ix.Coords {
			addP(w.Type, v.Param)
		}
		for _, v := range ix.Sorts {
			addP(w.Type, v.Param)
		}
	}
	return ps, ss
}

// put writes one version inside the caller's transaction.
func (wr *writer) put(ctx context.Context, d *dicts, w store.Write) (store.Version, error) {
	var rid, cur, curSeq int64
	err := wr.selCurrent.QueryRowContext(ctx, w.Type, w.ID).Scan(&rid, &cur, &curSeq)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return store.Version{}, fmt.Errorf("sqlite: read current %s/%s: %w", w.Type, w.ID, err)
	}
	if w.VersionID != cur+1 {
		return store.Version{}, fmt.Errorf("sqlite: write %s/%s version %d, current is %d: %w",
			w.Type, w.ID, w.VersionID, cur, store.ErrVersionConflict)
	}
	ms := w.LastUpdated.UnixMilli()
	var body any
	if !w.Deleted {
		body = w.Body
		if w.Body == nil {
			body = []byte{}
		}
	}
	res, err := wr.insVersion.ExecContext(ctx, w.Type, w.ID, w.VersionID, ms, w.Deleted, body)
	if err != nil {
		return store.Version{}, fmt.Errorf("sqlite: insert version %s/%s: %w", w.Type, w.ID, err)
	}
	seq, err := res.LastInsertId()
	if err != nil {
		return store.Version{}, fmt.Errorf("sqlite: insert version: %w", err)
	}
	if exists {
		if _, err := wr.supersede.ExecContext(ctx, ms, curSeq); err != nil {
			return store.Version{}, fmt.Errorf("sqlite: supersede %s/%s: %w", w.Type, w.ID, err)
		}
		if _, err := wr.updResource.ExecContext(ctx, w.VersionID, seq, w.Deleted, rid); err != nil {
			return store.Version{}, fmt.Errorf("sqlite: update %s/%s: %w", w.Type, w.ID, err)
		}
		for _, st := range wr.delIndex {
			if _, err := st.ExecContext(ctx, rid); err != nil {
				return store.Version{}, fmt.Errorf("sqlite: clear index of %s/%s: %w", w.Type, w.ID, err)
			}
		}
	} else {
		res, err := wr.insResource.ExecContext(ctx, w.Type, w.ID, w.VersionID, seq, w.Deleted)
		if err != nil {
			return store.Version{}, fmt.Errorf("sqlite: insert %s/%s: %w", w.Type, w.ID, err)
		}
		if rid, err = res.LastInsertId(); err != nil {
			return store.Version{}, fmt.Errorf("sqlite: insert resource: %w", err)
		}
	}
	if !w.Deleted {
		if err := wr.insertIndex(ctx, d, rid, w.Type, &w.Index); err != nil {
			return store.Version{}, fmt.Errorf("sqlite: index %s/%s: %w", w.Type, w.ID, err)
		}
	}
	v := store.Version{Type: w.Type, ID: w.ID, VersionID: w.VersionID, Seq: seq,
		LastUpdated: msTime(ms), Deleted: w.Deleted}
	if !w.Deleted {
		v.Body = body.([]byte)
	}
	return v, nil
}
