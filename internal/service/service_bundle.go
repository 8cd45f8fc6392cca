package service

import (
	"context"
	"fmt"
	"strings"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/internal/auth"
	"github.com/rorfhir/ror/store"
)

// DefaultMaxBundleEntries is the default of Options.MaxBundleEntries.
const DefaultMaxBundleEntries = 1000

// BundleRequest is a batch or a transaction: POST [base] with a Bundle.
type BundleRequest struct {
	Body []byte
	// Base is the FHIR base URL the request reached ("https://host/fhir"): entry URLs may be
	// absolute on it.
	Base string
	// Authorize takes the access decision of one entry: the decision of the same interaction
	// sent alone. nil allows everything.
	Authorize func(ctx context.Context, a EntryAccess) error
	// Strict applies Prefer: handling=strict to the search entries.
	Strict bool
}

// EntryAccess is what one entry attempts, for the access decision.
type EntryAccess struct {
	Interaction auth.Interaction // create, update, patch, delete, read, vread or search
	Type        string
	ID          string // instance-level interactions only
}

// BundleResult is the answer to a batch or a transaction.
type BundleResult struct {
	Type    string        // batch-response or transaction-response
	Entries []EntryResult // one per request entry, in the request's order
}

// EntryResult is the outcome of one entry.
type EntryResult struct {
	Interaction auth.Interaction
	Head        bool        // a HEAD entry: the answer carries no resource
	Write       WriteResult // create, update, patch, delete
	Read        store.Version
	Search      *SearchResult // search: the page, to be answered as a searchset Bundle
	SearchType  string
	// Err is the failure of a batch entry (an *fherr.Error); a failing transaction entry fails
	// the whole transaction instead.
	Err error
}

// Bundle runs a batch (each entry on its own, as if sent alone) or a transaction (all the
// writes or none). A transaction that cannot be carried out returns an error naming the entry
// at fault (Bundle.entry[i]) with that entry's status; a batch always answers, each entry with
// its own outcome.
func (s *Service) Bundle(ctx context.Context, req BundleRequest) (BundleResult, error) {
	kind, entries, err := s.parseBundle(req.Body, req.Base)
	if err != nil {
		return BundleResult{}, err
	}
	if kind == "batch" {
		return s.batch(ctx, req, entries), nil
	}
	return s.transaction(ctx, req, entries)
}

// TransactionsSupported reports whether the store applies several writes all or nothing, which
// transactions need.
func (s *Service) TransactionsSupported() bool {
	return s.st != nil && s.st.Capabilities().Transactions
}

// MaxBundleEntries is the largest number of entries of a batch or transaction.
func (s *Service) MaxBundleEntries() int { return s.opts.MaxBundleEntries }

// authorize takes the access decision of entry e.
func (req BundleRequest) authorize(ctx context.Context, e bundleEntry) error {
	if req.Authorize == nil {
		return nil
	}
	return req.Authorize(ctx, EntryAccess{Interaction: e.interaction, Type: e.typ, ID: e.id})
}

// entryError turns the failure of entry e into the failure of the whole transaction: the same
// kind (so the same status), each issue saying which entry it is about (Bundle.entry[i]), the
// expressions about the entry's resource rewritten from the Bundle, and the cause kept.
func entryError(e bundleEntry, err error) error {
	fe, ok := fherr.As(err)
	if !ok {
		fe = fherr.Fault(err)
	}
	at := fmt.Sprintf("Bundle.entry[%d]", e.index)
	out := &fherr.Error{Kind: fe.Kind, Err: err, Issues: make([]fherr.Issue, len(fe.Issues))}
	for i, is := range fe.Issues {
		is.Diagnostics = at + " (" + e.label() + "): " + is.Diagnostics
		exprs := make([]string, 0, len(is.Expression)+1)
		for _, x := range is.Expression {
			exprs = append(exprs, resourceExpression(at, e.typ, x))
		}
		if len(exprs) == 0 {
			exprs = append(exprs, at)
		}
		is.Expression = exprs
		out.Issues[i] = is
	}
	return out
}

// resourceExpression rewrites an expression about a resource of type typ ("Organization.name")
// as one about the resource of entry at ("Bundle.entry[2].resource.name").
func resourceExpression(at, typ, x string) string {
	if typ == "" || strings.HasPrefix(x, "Bundle.") {
		return x
	}
	if x == typ {
		return at + ".resource"
	}
	if rest, ok := strings.CutPrefix(x, typ+"."); ok {
		return at + ".resource." + rest
	}
	return x
}
