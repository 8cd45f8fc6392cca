package sqlite

import (
	"context"
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
	vs, errs, err := s.w.apply(ctx, s.dicts, ws)
	if err != nil {
		return nil, err
	}
	if i, werr := firstError(errs); werr != nil {
		err = &store.BatchError{Index: i, Err: werr}
		return nil, err
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
