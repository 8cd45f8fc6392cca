package service

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/store"
)

// WriteResult is the outcome of a create, update or delete.
type WriteResult struct {
	// Version is the version written, or the existing one (conditional create matching one
	// resource; delete of a missing or deleted resource: zero Version or the tombstone).
	Version store.Version
	// Created: a new resource came to exist (201). False for an update, a conditional create that
	// found its match, and deletes.
	Created bool
	// Changed: a new version was written.
	Changed bool
	// Warnings are non-blocking issues (unknown elements, checks' warnings).
	Warnings []fherr.Issue
}

// CreateOptions are the conditions of a create.
type CreateOptions struct {
	// IfNoneExist is the If-None-Exist search (a query string such as "identifier=s|v"); when
	// set, the create happens only if nothing matches; one match is returned as is; several
	// fail with 412 multiple-matches.
	IfNoneExist string
}

// Create stores body as a new resource of type typ with a server-assigned id (an id in the body
// is ignored, per FHIR).
func (s *Service) Create(ctx context.Context, typ string, body []byte, opts CreateOptions) (WriteResult, error) {
	in, err := s.checkBody(typ, body)
	if err != nil {
		return WriteResult{}, err
	}
	if opts.IfNoneExist != "" {
		existing, found, err := s.matchOne(ctx, typ, opts.IfNoneExist)
		if err != nil {
			return WriteResult{}, err
		}
		if found {
			return WriteResult{Version: existing, Warnings: in.warnings}, nil
		}
	}
	warnings, err := s.runChecks(ctx, typ, nil, in.body)
	if err != nil {
		return WriteResult{}, err
	}
	w, err := s.prepare(http.MethodPost, typ, s.opts.NewID(), 1, s.now(), in.body)
	if err != nil {
		return WriteResult{}, err
	}
	v, err := s.st.Put(ctx, w)
	if err != nil {
		return WriteResult{}, storeErr(err)
	}
	return WriteResult{Version: v, Created: true, Changed: true, Warnings: append(in.warnings, warnings...)}, nil
}

// matchOne runs the search of a conditional interaction: (zero, false) when nothing matches, the
// match when one does, 412 multiple-matches when several do.
func (s *Service) matchOne(ctx context.Context, typ, query string) (store.Version, bool, error) {
	params, err := url.ParseQuery(query)
	if err != nil || len(params) == 0 {
		return store.Version{}, false, fherr.Invalid("invalid", "",
			"the condition %q is not a search query string", query)
	}
	for k := range params {
		switch k {
		case "_count", "_sort", "_summary", "_total", "_elements", "_include", "_revinclude", cursorParam:
			return store.Version{}, false, fherr.Invalid("invalid", "",
				"the condition may not use the search control %s", k)
		}
	}
	sr, err := s.search(ctx, typ, params, searchControl{count: 2, strict: true})
	if err != nil {
		return store.Version{}, false, err
	}
	switch len(sr.Matches) {
	case 0:
		return store.Version{}, false, nil
	case 1:
		return sr.Matches[0], true, nil
	}
	return store.Version{}, false, fherr.Precondition("multiple-matches",
		"the condition %q matches more than one %s", query, typ)
}

// UpdateOptions are the conditions of an update or delete.
type UpdateOptions struct {
	// IfMatch, when > 0, is the version the client expects to be current (If-Match: W/"n"); a
	// different current version fails with 412.
	IfMatch int64
}

// Update stores body as the next version of typ/id, creating the resource with this client-chosen
// id when it does not exist (update as create). The body must carry the same id. Without IfMatch,
// losing a race with another writer is retried a bounded number of times.
func (s *Service) Update(ctx context.Context, typ, id string, body []byte, opts UpdateOptions) (WriteResult, error) {
	if err := s.checkType(typ); err != nil {
		return WriteResult{}, err
	}
	if !validID(id) {
		return WriteResult{}, fherr.Invalid("value", "", "%q is not a valid id (1 to 64 of A-Z a-z 0-9 - .)", id)
	}
	in, err := s.checkBody(typ, body)
	if err != nil {
		return WriteResult{}, err
	}
	if in.id == "" {
		return WriteResult{}, fherr.Invalid("required", typ+".id", "an update body must carry the id %q", id)
	}
	if in.id != id {
		return WriteResult{}, fherr.Invalid("invalid", typ+".id", "the body id %q differs from the URL id %q", in.id, id)
	}
	for attempt := 0; ; attempt++ {
		cur, err := s.current(ctx, typ, id)
		if err != nil {
			return WriteResult{}, err
		}
		if err := ifMatch(opts.IfMatch, cur, typ, id); err != nil {
			return WriteResult{}, err
		}
		warnings, err := s.runChecks(ctx, typ, cur, in.body)
		if err != nil {
			return WriteResult{}, err
		}
		next := int64(1)
		if cur != nil {
			next = cur.VersionID + 1
		}
		w, err := s.prepare(http.MethodPut, typ, id, next, s.now(), in.body)
		if err != nil {
			return WriteResult{}, err
		}
		v, err := s.st.Put(ctx, w)
		if err == nil {
			created := cur == nil || cur.Deleted
			return WriteResult{Version: v, Created: created, Changed: true, Warnings: append(in.warnings, warnings...)}, nil
		}
		if errors.Is(err, store.ErrVersionConflict) {
			if opts.IfMatch > 0 {
				return WriteResult{}, fherr.Precondition("conflict",
					"%s/%s was changed by another request since version %d", typ, id, opts.IfMatch)
			}
			if attempt+1 < s.opts.UpdateRetries {
				continue
			}
		}
		return WriteResult{}, storeErr(err)
	}
}

// Delete writes a tombstone for typ/id. Deleting a resource that never existed or is already
// deleted changes nothing and succeeds (FHIR R4 allows 200/204 for both): Changed is false and
// Version is the zero Version or the existing tombstone.
func (s *Service) Delete(ctx context.Context, typ, id string, opts UpdateOptions) (WriteResult, error) {
	if err := s.checkType(typ); err != nil {
		return WriteResult{}, err
	}
	if !validID(id) {
		return WriteResult{}, fherr.NotFound("%s/%s does not exist", typ, id)
	}
	for attempt := 0; ; attempt++ {
		cur, err := s.current(ctx, typ, id)
		if err != nil {
			return WriteResult{}, err
		}
		if err := ifMatch(opts.IfMatch, cur, typ, id); err != nil {
			return WriteResult{}, err
		}
		if cur == nil || cur.Deleted {
			res := WriteResult{}
			if cur != nil {
				res.Version = *cur
			}
			return res, nil
		}
		warnings, err := s.runChecks(ctx, typ, cur, nil)
		if err != nil {
			return WriteResult{}, err
		}
		v, err := s.st.Put(ctx, store.Write{Type: typ, ID: id, VersionID: cur.VersionID + 1, LastUpdated: s.now(), Deleted: true, Method: http.MethodDelete})
		if err == nil {
			return WriteResult{Version: v, Changed: true, Warnings: warnings}, nil
		}
		if errors.Is(err, store.ErrVersionConflict) {
			if opts.IfMatch > 0 {
				return WriteResult{}, fherr.Precondition("conflict",
					"%s/%s was changed by another request since version %d", typ, id, opts.IfMatch)
			}
			if attempt+1 < s.opts.UpdateRetries {
				continue
			}
		}
		return WriteResult{}, storeErr(err)
	}
}

// current returns the current version of typ/id (possibly a tombstone), nil when it never existed.
func (s *Service) current(ctx context.Context, typ, id string) (*store.Version, error) {
	v, err := s.st.Read(ctx, typ, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, storeErr(err)
	}
	return &v, nil
}

// ifMatch checks the If-Match version against the current version.
func ifMatch(want int64, cur *store.Version, typ, id string) error {
	if want <= 0 {
		return nil
	}
	if cur == nil {
		return fherr.Precondition("conflict", "If-Match: %s/%s does not exist", typ, id)
	}
	if cur.VersionID != want {
		return fherr.Precondition("conflict",
			"If-Match: version %d was expected but %s/%s is at version %d", want, typ, id, cur.VersionID)
	}
	return nil
}
