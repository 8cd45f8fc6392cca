package service

import (
	"context"
	"errors"
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
	p, err := s.planCreate(ctx, typ, s.opts.NewID(), body, opts)
	if err != nil {
		return WriteResult{}, err
	}
	if !p.writes() {
		return p.result, nil
	}
	v, err := s.st.Put(ctx, p.write)
	if err != nil {
		return WriteResult{}, storeErr(err)
	}
	return p.stored(v), nil
}

// matchOne runs the search of a conditional interaction: (zero, false) when nothing matches, the
// match when one does, 412 multiple-matches when several do. Resources whose "Type/id" is in
// except (those a transaction deletes before this entry) do not count.
func (s *Service) matchOne(ctx context.Context, typ, query string, except map[string]bool) (store.Version, bool, error) {
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
	sr, err := s.search(ctx, typ, params, searchControl{count: 2 + len(except), strict: true})
	if err != nil {
		return store.Version{}, false, err
	}
	matches := sr.Matches[:0:0]
	for _, v := range sr.Matches {
		if !except[v.Type+"/"+v.ID] {
			matches = append(matches, v)
		}
	}
	switch len(matches) {
	case 0:
		return store.Version{}, false, nil
	case 1:
		return matches[0], true, nil
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
	in, err := s.checkUpdateBody(typ, id, body)
	if err != nil {
		return WriteResult{}, err
	}
	return s.commitRetrying(ctx, typ, id, opts.IfMatch, func(ctx context.Context) (planned, error) {
		return s.planUpdate(ctx, typ, id, in, opts)
	})
}

// Delete writes a tombstone for typ/id. Deleting a resource that never existed or is already
// deleted changes nothing and succeeds (FHIR R4 allows 200/204 for both): Changed is false and
// Version is the zero Version or the existing tombstone.
func (s *Service) Delete(ctx context.Context, typ, id string, opts UpdateOptions) (WriteResult, error) {
	return s.commitRetrying(ctx, typ, id, opts.IfMatch, func(ctx context.Context) (planned, error) {
		return s.planDelete(ctx, typ, id, opts)
	})
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
