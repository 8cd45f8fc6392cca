package service

import (
	"context"
	"errors"
	"net/http"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/store"
)

// planned is a write checked and prepared exactly as its interaction does it (body checks,
// If-Match, pluggable checks, stamping, index extraction) but not stored yet: the single
// interactions store it with store.Put, a transaction stores all of its writes with one
// store.PutMany.
type planned struct {
	// write is the version to store; write.Type is "" when nothing is to be written (a
	// conditional create that found its match, the delete of a missing or deleted resource).
	write store.Write
	// result is the outcome once write is stored (its Version is set then), or the outcome
	// itself when nothing is written.
	result WriteResult
}

// writes reports whether p has a version to store.
func (p planned) writes() bool { return p.write.Type != "" }

// stored completes p's result with the version the store wrote.
func (p planned) stored(v store.Version) WriteResult {
	res := p.result
	res.Version = v
	res.Changed = true
	return res
}

// planCreate checks body as a new resource of type typ under id (a server-assigned id) and
// prepares its first version. With opts.IfNoneExist, a single match is returned as is (nothing to
// write).
func (s *Service) planCreate(ctx context.Context, typ, id string, body []byte, opts CreateOptions) (planned, error) {
	in, err := s.checkBody(typ, body)
	if err != nil {
		return planned{}, err
	}
	if opts.IfNoneExist != "" {
		existing, found, err := s.matchOne(ctx, typ, opts.IfNoneExist, nil)
		if err != nil {
			return planned{}, err
		}
		if found {
			return planned{result: WriteResult{Version: existing, Warnings: in.warnings}}, nil
		}
	}
	warnings, err := s.runChecks(ctx, typ, nil, in.body)
	if err != nil {
		return planned{}, err
	}
	w, err := s.prepare(http.MethodPost, typ, id, 1, s.now(), in.body)
	if err != nil {
		return planned{}, err
	}
	return planned{write: w, result: WriteResult{Created: true, Warnings: append(in.warnings, warnings...)}}, nil
}

// checkUpdateBody applies the rules of an update body that do not depend on the stored state:
// type, URL id syntax, body checks, and a body id equal to the URL id.
func (s *Service) checkUpdateBody(typ, id string, body []byte) (incoming, error) {
	if err := s.checkType(typ); err != nil {
		return incoming{}, err
	}
	if !validID(id) {
		return incoming{}, fherr.Invalid("value", "", "%q is not a valid id (1 to 64 of A-Z a-z 0-9 - .)", id)
	}
	in, err := s.checkBody(typ, body)
	if err != nil {
		return incoming{}, err
	}
	if in.id == "" {
		return incoming{}, fherr.Invalid("required", typ+".id", "an update body must carry the id %q", id)
	}
	if in.id != id {
		return incoming{}, fherr.Invalid("invalid", typ+".id", "the body id %q differs from the URL id %q", in.id, id)
	}
	return in, nil
}

// planUpdate prepares in (checked by checkUpdateBody) as the next version of typ/id, or its first
// (update as create).
func (s *Service) planUpdate(ctx context.Context, typ, id string, in incoming, opts UpdateOptions) (planned, error) {
	cur, err := s.current(ctx, typ, id)
	if err != nil {
		return planned{}, err
	}
	if err := ifMatch(opts.IfMatch, cur, typ, id); err != nil {
		return planned{}, err
	}
	return s.planNext(ctx, http.MethodPut, typ, id, cur, in)
}

// planNext runs the checks on in against the current version cur (nil when the resource never
// existed) and prepares the next version, written by method (PUT or PATCH).
func (s *Service) planNext(ctx context.Context, method, typ, id string, cur *store.Version, in incoming) (planned, error) {
	warnings, err := s.runChecks(ctx, typ, cur, in.body)
	if err != nil {
		return planned{}, err
	}
	next := int64(1)
	if cur != nil {
		next = cur.VersionID + 1
	}
	w, err := s.prepare(method, typ, id, next, s.now(), in.body)
	if err != nil {
		return planned{}, err
	}
	created := cur == nil || cur.Deleted
	return planned{write: w, result: WriteResult{Created: created, Warnings: append(in.warnings, warnings...)}}, nil
}

// planDelete prepares the tombstone of typ/id; nothing is to be written when the resource never
// existed or is already deleted (result.Version is then the zero Version or the tombstone).
func (s *Service) planDelete(ctx context.Context, typ, id string, opts UpdateOptions) (planned, error) {
	if err := s.checkType(typ); err != nil {
		return planned{}, err
	}
	if !validID(id) {
		return planned{}, fherr.NotFound("%s/%s does not exist", typ, id)
	}
	cur, err := s.current(ctx, typ, id)
	if err != nil {
		return planned{}, err
	}
	if err := ifMatch(opts.IfMatch, cur, typ, id); err != nil {
		return planned{}, err
	}
	if cur == nil || cur.Deleted {
		var res WriteResult
		if cur != nil {
			res.Version = *cur
		}
		return planned{result: res}, nil
	}
	warnings, err := s.runChecks(ctx, typ, cur, nil)
	if err != nil {
		return planned{}, err
	}
	w := store.Write{Type: typ, ID: id, VersionID: cur.VersionID + 1, LastUpdated: s.now(), Deleted: true, Method: http.MethodDelete}
	return planned{write: w, result: WriteResult{Warnings: warnings}}, nil
}

// commitRetrying plans a write of typ/id and stores it with store.Put. When another request wrote
// the resource between the plan and the put, the write fails with 412 if the client gave If-Match
// (ifMatch > 0), and is planned again from the new current version otherwise (a bounded number
// of times).
func (s *Service) commitRetrying(ctx context.Context, typ, id string, ifMatch int64, plan func(context.Context) (planned, error)) (WriteResult, error) {
	for attempt := 0; ; attempt++ {
		p, err := plan(ctx)
		if err != nil {
			return WriteResult{}, err
		}
		if !p.writes() {
			return p.result, nil
		}
		v, err := s.st.Put(ctx, p.write)
		if err == nil {
			return p.stored(v), nil
		}
		if errors.Is(err, store.ErrVersionConflict) {
			if ifMatch > 0 {
				return WriteResult{}, fherr.Precondition("conflict",
					"%s/%s was changed by another request since version %d", typ, id, ifMatch)
			}
			if attempt+1 < s.opts.UpdateRetries {
				continue
			}
		}
		return WriteResult{}, storeErr(err)
	}
}
