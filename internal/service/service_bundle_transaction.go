package service

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/fhir/search"
	"github.com/rorfhir/ror/internal/auth"
	"github.com/rorfhir/ror/store"
)

// transaction carries out a transaction: every entry is read, authorized and its write prepared
// by the path of its single interaction; then all the writes are stored with one store.PutMany,
// all or nothing. Any failure before the commit fails the whole transaction, naming the entry.
// The reads (GET, HEAD) are checked before the commit and answered after it, so that they see the
// transaction's writes; a read can fail after the commit only if another request changed the
// resource meanwhile, and that read alone is then answered with its error (the writes stay).
func (s *Service) transaction(ctx context.Context, req BundleRequest, entries []bundleEntry) (BundleResult, error) {
	written, err := checkTransactionEntries(entries)
	if err != nil {
		return BundleResult{}, err
	}
	for _, e := range entries {
		if err := req.authorize(ctx, e); err != nil {
			return BundleResult{}, entryError(e, err)
		}
	}
	if len(written) > 0 && !s.TransactionsSupported() {
		return BundleResult{}, fherr.NotSupported(fherr.KindNotImplemented,
			"this server's store cannot apply several writes all or nothing (MongoDB needs a replica set or a sharded cluster for transactions): the transaction was not processed; send a batch (each entry on its own) instead")
	}
	var p txPlan
	var vs []store.Version
	for attempt := 0; ; attempt++ {
		if p, err = s.planTransaction(ctx, req, entries); err != nil {
			return BundleResult{}, err
		}
		if err = s.checkTransactionReads(ctx, req, entries, written, p.deleted); err != nil {
			return BundleResult{}, err
		}
		if len(p.writes) == 0 {
			break
		}
		if vs, err = s.st.PutMany(ctx, p.writes); err == nil {
			break
		}
		if err = s.transactionConflict(err, entries, p, attempt); err != nil {
			return BundleResult{}, err
		}
	}
	out := BundleResult{Type: "transaction-response", Entries: make([]EntryResult, len(entries))}
	for i, e := range entries {
		out.Entries[i] = EntryResult{Interaction: e.interaction, Head: e.method == http.MethodHead, Write: p.plans[i].result}
	}
	for k, i := range p.owners {
		out.Entries[i].Write = p.plans[i].stored(vs[k])
	}
	for i, e := range entries {
		if !e.writes() {
			res, err := s.readEntry(ctx, req, e)
			res.Interaction, res.Head, res.Err = e.interaction, e.method == http.MethodHead, err
			out.Entries[i] = res
		}
	}
	return out, nil
}

// checkTransactionEntries fails the transaction on the first entry that cannot be read, or that
// writes a resource another entry writes too (FHIR: the resources of a transaction's entries
// must not overlap). It returns the entry index of each "Type/id" written by PUT, PATCH or
// DELETE, plus one "create" key per POST (so that its length says whether anything is written).
func checkTransactionEntries(entries []bundleEntry) (map[string]int, error) {
	written := map[string]int{}
	for _, e := range entries {
		if e.err != nil {
			return nil, entryError(e, e.err)
		}
		if !e.writes() {
			continue
		}
		key := e.key()
		if e.interaction == auth.Create {
			key = fmt.Sprintf("create %d", e.index)
		}
		if j, dup := written[key]; dup {
			return nil, entryError(e, fherr.Invalid("invalid", fmt.Sprintf("Bundle.entry[%d].request.url", e.index),
				"%s is also written by Bundle.entry[%d]: a transaction may write each resource once", key, j))
		}
		written[key] = e.index
	}
	return written, nil
}

// checkTransactionReads fails the transaction, before anything is stored, on a read entry that
// would fail: a read or vread of a resource the transaction does not write (as it is now), of a
// resource it deletes (410), or a search that cannot be parsed.
func (s *Service) checkTransactionReads(ctx context.Context, req BundleRequest, entries []bundleEntry, written map[string]int, deleted map[string]bool) error {
	for _, e := range entries {
		var err error
		switch e.interaction {
		case auth.Read, auth.VRead:
			j, writes := written[e.key()]
			switch {
			case deleted[e.key()]:
				err = fherr.Gone("%s is deleted by Bundle.entry[%d] of this transaction", e.key(), j)
			case !writes:
				_, err = s.readEntry(ctx, req, e)
			}
		case auth.Search:
			_, _, err = s.reg.ParseQuery(e.typ, e.query, search.Options{
				DefaultCount: s.opts.DefaultCount, MaxCount: s.opts.MaxCount, Strict: req.Strict || s.opts.StrictSearch,
			})
			err = asErr(err, "the search cannot be parsed")
		}
		if err != nil {
			return entryError(e, err)
		}
	}
	return nil
}

// asErr is asInvalid that keeps nil.
func asErr(err error, msg string) error {
	if err == nil {
		return nil
	}
	return asInvalid(err, "invalid", "%s", msg)
}

// transactionConflict decides what to do when the commit of a transaction failed: nil to plan
// it again (another request wrote one of its resources between the plan and the commit, and the
// entry gave no ifMatch), or the error that fails the transaction.
func (s *Service) transactionConflict(err error, entries []bundleEntry, p txPlan, attempt int) error {
	var be *store.BatchError
	if !errors.As(err, &be) || !errors.Is(err, store.ErrVersionConflict) || be.Index < 0 || be.Index >= len(p.owners) {
		return storeErr(err)
	}
	e := entries[p.owners[be.Index]]
	if e.ifMatch > 0 {
		return entryError(e, fherr.Precondition("conflict", "%s was changed by another request since version %d", e.key(), e.ifMatch))
	}
	if attempt+1 < s.opts.UpdateRetries {
		return nil
	}
	return entryError(e, fherr.Wrap(err, fherr.KindConflict, "conflict", "",
		"the resource was changed by other requests while the transaction was processed (%d attempts); retry", attempt+1))
}
