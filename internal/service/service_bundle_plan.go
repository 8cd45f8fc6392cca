package service

import (
	"context"
	"fmt"
	"strings"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/fhir/resource"
	"github.com/rorfhir/ror/internal/auth"
	"github.com/rorfhir/ror/store"
)

// txPlan is a transaction whose writes are all checked and prepared, in the FHIR processing
// order (DELETE, POST, PUT and PATCH), ready for one store.PutMany.
type txPlan struct {
	plans   []planned // by entry index (write entries only)
	writes  []store.Write
	owners  []int           // entry index of each write
	deleted map[string]bool // "Type/id" the transaction deletes
}

func (p *txPlan) add(i int, pl planned) {
	p.plans[i] = pl
	if pl.writes() {
		p.writes = append(p.writes, pl.write)
		p.owners = append(p.owners, i)
	}
}

// planTransaction prepares every write of a transaction by the path of its single interaction
// (planDelete, planCreate, planUpdate, planPatch), in the FHIR order: the deletes first (a
// conditional create or reference of a later entry no longer finds what they delete), then the
// creates (each gets its id, or its match for a conditional create), then the updates and
// patches. Before the creates and updates are checked, every reference to an entry's
// urn:uuid/urn:oid fullUrl is replaced by the entry's Type/id, and every conditional reference
// (Type?search) by the one resource it matches, a search the request must be allowed (req's
// access decision on Type). The first entry that fails fails the plan.
func (s *Service) planTransaction(ctx context.Context, req BundleRequest, entries []bundleEntry) (txPlan, error) {
	p := txPlan{plans: make([]planned, len(entries)), deleted: map[string]bool{}}
	for _, e := range entriesDoing(entries, auth.Delete) {
		pl, err := s.planDelete(ctx, e.typ, e.id, UpdateOptions{IfMatch: e.ifMatch})
		if err != nil {
			return txPlan{}, entryError(e, err)
		}
		if pl.writes() {
			p.deleted[e.key()] = true
		}
		p.add(e.index, pl)
	}
	refs := map[string]string{} // local fullUrl -> Type/id
	ids := map[int]string{}     // entry index -> id of the resource it creates
	for _, e := range entriesDoing(entries, auth.Create) {
		if e.ifNoneExist != "" {
			v, found, err := s.matchOne(ctx, e.typ, e.ifNoneExist, p.deleted)
			if err != nil {
				return txPlan{}, entryError(e, err)
			}
			if found {
				in, err := s.checkBody(e.typ, e.resource)
				if err != nil {
					return txPlan{}, entryError(e, err)
				}
				p.add(e.index, planned{result: WriteResult{Version: v, Warnings: in.warnings}})
				if localReference(e.fullURL) {
					refs[e.fullURL] = e.typ + "/" + v.ID
				}
				continue
			}
		}
		ids[e.index] = s.opts.NewID()
		if localReference(e.fullURL) {
			refs[e.fullURL] = e.typ + "/" + ids[e.index]
		}
	}
	for _, e := range entries {
		if (e.interaction == auth.Update || e.interaction == auth.Patch) && localReference(e.fullURL) {
			refs[e.fullURL] = e.key()
		}
	}
	resolve := s.referenceResolver(ctx, req, refs, p.deleted)
	for _, e := range entriesDoing(entries, auth.Create, auth.Update, auth.Patch) {
		if e.interaction == auth.Create && ids[e.index] == "" {
			continue // a conditional create that found its match
		}
		pl, err := s.planEntry(ctx, e, ids[e.index], resolve)
		if err != nil {
			return txPlan{}, entryError(e, err)
		}
		p.add(e.index, pl)
	}
	return p, nil
}

// planEntry prepares a create (under id), update or patch entry of a transaction.
func (s *Service) planEntry(ctx context.Context, e bundleEntry, id string, resolve func(string) (string, bool, error)) (planned, error) {
	opts := UpdateOptions{IfMatch: e.ifMatch}
	if e.interaction == auth.Patch {
		return s.planPatch(ctx, e.typ, e.id, e.patch, opts)
	}
	body, err := rewriteReferences(e.resource, resolve)
	if err != nil {
		return planned{}, asInvalid(err, "structure", "the resource cannot be read")
	}
	if e.interaction == auth.Create {
		return s.planCreate(ctx, e.typ, id, body, CreateOptions{})
	}
	in, err := s.checkUpdateBody(e.typ, e.id, body)
	if err != nil {
		return planned{}, err
	}
	return s.planUpdate(ctx, e.typ, e.id, in, opts)
}

// entriesDoing returns the entries of one of the interactions, in the Bundle's order.
func entriesDoing(entries []bundleEntry, is ...auth.Interaction) []bundleEntry {
	var out []bundleEntry
	for _, e := range entries {
		for _, i := range is {
			if e.interaction == i {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// referenceResolver returns the function rewriteReferences applies to the references of a
// transaction's resources: a local fullUrl becomes the Type/id of its entry (400 when no entry
// has it), a conditional reference Type?search the Type/id of the one resource it matches (400
// when none does, 412 when several do; resources the transaction deletes do not count), if req
// may search Type (the answer would tell whether such a resource exists); other references are
// kept.
func (s *Service) referenceResolver(ctx context.Context, req BundleRequest, refs map[string]string, deleted map[string]bool) func(string) (string, bool, error) {
	resolved := map[string]string{}
	return func(ref string) (string, bool, error) {
		if localReference(ref) {
			if to, ok := refs[ref]; ok {
				return to, true, nil
			}
			return "", false, fherr.Invalid("not-found", "",
				"the reference %q is the fullUrl of no entry this transaction creates or updates", ref)
		}
		typ, query, ok := conditionalReference(ref)
		if !ok {
			return "", false, nil
		}
		if to, ok := resolved[ref]; ok {
			return to, true, nil
		}
		if req.Authorize != nil {
			if err := req.Authorize(ctx, EntryAccess{Interaction: auth.Search, Type: typ}); err != nil {
				return "", false, fmt.Errorf("the conditional reference %q searches %s: %w", ref, typ, err)
			}
		}
		v, found, err := s.matchOne(ctx, typ, query, deleted)
		if fe, isFE := fherr.As(err); isFE && fe.Kind == fherr.KindPrecondition {
			return "", false, fherr.Precondition("multiple-matches",
				"the conditional reference %q matches more than one %s: it must match exactly one", ref, typ)
		}
		if err != nil {
			return "", false, err
		}
		if !found {
			return "", false, fherr.Invalid("not-found", "",
				"the conditional reference %q matches no %s: it must match exactly one", ref, typ)
		}
		resolved[ref] = typ + "/" + v.ID
		return resolved[ref], true, nil
	}
}

// conditionalReference splits a conditional reference "Type?search" on a served type.
func conditionalReference(ref string) (typ, query string, ok bool) {
	typ, query, ok = strings.Cut(ref, "?")
	if !ok || query == "" || !resource.IsSupported(typ) {
		return "", "", false
	}
	return typ, query, true
}
