package service

import (
	"context"
	"fmt"
	"net/http"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/internal/auth"
)

// batch runs each entry on its own, in the Bundle's order, exactly as the same interaction sent
// alone (same access decision, same checks, same answers); one entry's failure is answered in
// that entry and does not stop the others.
func (s *Service) batch(ctx context.Context, req BundleRequest, entries []bundleEntry) BundleResult {
	local := map[string]int{}
	for _, e := range entries {
		if localReference(e.fullURL) {
			local[e.fullURL] = e.index
		}
	}
	out := BundleResult{Type: "batch-response", Entries: make([]EntryResult, len(entries))}
	for i, e := range entries {
		res, err := s.batchEntry(ctx, req, e, local)
		res.Interaction, res.Head, res.Err = e.interaction, e.method == http.MethodHead, err
		out.Entries[i] = res
	}
	return out
}

// batchEntry runs one entry of a batch.
func (s *Service) batchEntry(ctx context.Context, req BundleRequest, e bundleEntry, local map[string]int) (EntryResult, error) {
	if e.err != nil {
		return EntryResult{}, e.err
	}
	if err := req.authorize(ctx, e); err != nil {
		return EntryResult{}, err
	}
	if !e.writes() {
		return s.readEntry(ctx, req, e)
	}
	if len(local) > 0 && e.resource != nil && e.interaction != auth.Patch {
		// The entries of a batch are independent: a reference to another entry's fullUrl
		// cannot be resolved (a transaction resolves them).
		_, err := rewriteReferences(e.resource, func(ref string) (string, bool, error) {
			if j, ok := local[ref]; ok && j != e.index {
				return "", false, fherr.Invalid("invalid", fmt.Sprintf("Bundle.entry[%d].resource", e.index),
					"the reference %q names Bundle.entry[%d]: entries of a batch are independent; send a transaction to link them", ref, j)
			}
			return "", false, nil
		})
		if err != nil {
			return EntryResult{}, asInvalid(err, "structure", "the resource cannot be read")
		}
	}
	w, err := s.writeEntry(ctx, e)
	return EntryResult{Write: w}, err
}

// writeEntry runs a write entry as the single interaction it stands for.
func (s *Service) writeEntry(ctx context.Context, e bundleEntry) (WriteResult, error) {
	opts := UpdateOptions{IfMatch: e.ifMatch}
	switch e.interaction {
	case auth.Create:
		return s.Create(ctx, e.typ, e.resource, CreateOptions{IfNoneExist: e.ifNoneExist})
	case auth.Update:
		return s.Update(ctx, e.typ, e.id, e.resource, opts)
	case auth.Patch:
		return s.commitRetrying(ctx, e.typ, e.id, e.ifMatch, func(ctx context.Context) (planned, error) {
			return s.planPatch(ctx, e.typ, e.id, e.patch, opts)
		})
	case auth.Delete:
		return s.Delete(ctx, e.typ, e.id, opts)
	}
	return WriteResult{}, fherr.Fault(fmt.Errorf("bundle entry %d: no write for interaction %q", e.index, e.interaction))
}

// readEntry runs a read, vread or search entry as the single interaction it stands for.
func (s *Service) readEntry(ctx context.Context, req BundleRequest, e bundleEntry) (EntryResult, error) {
	var res EntryResult
	var err error
	switch e.interaction {
	case auth.Read:
		res.Read, err = s.Read(ctx, e.typ, e.id)
	case auth.VRead:
		res.Read, err = s.VRead(ctx, e.typ, e.id, e.vid)
	case auth.Search:
		var sr SearchResult
		sr, err = s.Search(ctx, e.typ, e.query, SearchOptions{Strict: req.Strict})
		res.Search, res.SearchType = &sr, e.typ
	default:
		err = fherr.Fault(fmt.Errorf("bundle entry %d: no read for interaction %q", e.index, e.interaction))
	}
	return res, err
}
