package service

import (
	"context"
	"errors"
	"strconv"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/store"
)

// Read returns the current version of typ/id: 404 when it never existed, 410 when it is deleted
// (the error then still carries the tombstone, see Tombstone).
func (s *Service) Read(ctx context.Context, typ, id string) (store.Version, error) {
	if err := s.checkType(typ); err != nil {
		return store.Version{}, err
	}
	if !validID(id) {
		return store.Version{}, fherr.NotFound("%s/%s does not exist", typ, id)
	}
	v, err := s.st.Read(ctx, typ, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Version{}, fherr.Wrap(err, fherr.KindNotFound, "not-found", "", "%s/%s does not exist", typ, id)
	}
	if err != nil {
		return store.Version{}, storeErr(err)
	}
	if v.Deleted {
		return store.Version{}, goneErr(v)
	}
	return v, nil
}

// VRead returns version vid of typ/id: 404 when it never existed (vid not a number included),
// 410 when that version is a tombstone.
func (s *Service) VRead(ctx context.Context, typ, id, vid string) (store.Version, error) {
	if err := s.checkType(typ); err != nil {
		return store.Version{}, err
	}
	n, err := strconv.ParseInt(vid, 10, 64)
	if err != nil || n <= 0 || !validID(id) {
		return store.Version{}, fherr.NotFound("%s/%s/_history/%s does not exist", typ, id, vid)
	}
	v, err := s.st.VRead(ctx, typ, id, n)
	if errors.Is(err, store.ErrNotFound) {
		return store.Version{}, fherr.Wrap(err, fherr.KindNotFound, "not-found", "",
			"%s/%s/_history/%d does not exist", typ, id, n)
	}
	if err != nil {
		return store.Version{}, storeErr(err)
	}
	if v.Deleted {
		return store.Version{}, goneErr(v)
	}
	return v, nil
}

// goneError is the 410 of a deleted resource; it keeps the tombstone so that the API can give
// its version in the ETag.
type goneError struct{ v store.Version }

func (g *goneError) Error() string {
	return g.v.Type + "/" + g.v.ID + " was deleted (version " + strconv.FormatInt(g.v.VersionID, 10) + ")"
}

func goneErr(v store.Version) error {
	e := fherr.Gone("%s/%s was deleted", v.Type, v.ID)
	e.Err = &goneError{v: v}
	return e
}

// Tombstone returns the deleted version behind a 410 error from Read or VRead.
func Tombstone(err error) (store.Version, bool) {
	var g *goneError
	if errors.As(err, &g) {
		return g.v, true
	}
	return store.Version{}, false
}
