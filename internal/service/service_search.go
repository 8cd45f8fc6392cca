package service

import (
	"context"
	"net/url"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/store"
)

// SearchOptions are per-request search settings.
type SearchOptions struct {
	// Strict rejects unknown or unsupported parameters (Prefer: handling=strict) instead of
	// ignoring them with a warning.
	Strict bool
}

// searchControl overrides the page size and strictness of a search run by the service itself.
type searchControl struct {
	count  int
	strict bool
}

// SearchResult is one page of a search.
type SearchResult struct {
	Matches []store.Version
	Total   int // -1 when not computed
	// Self and Next are canonical query strings (Next "" on the last page).
	Self, Next string
	// Warnings are issues for the searchset's OperationOutcome entry (ignored parameters...).
	Warnings []fherr.Issue
}

// Search runs a type-level search.
func (s *Service) Search(ctx context.Context, typ string, params url.Values, opts SearchOptions) (SearchResult, error) {
	if err := s.checkType(typ); err != nil {
		return SearchResult{}, err
	}
	return s.search(ctx, typ, params, searchControl{strict: opts.Strict || s.opts.StrictSearch})
}

func (s *Service) search(ctx context.Context, typ string, params url.Values, c searchControl) (SearchResult, error) {
	return SearchResult{}, fherr.NotSupported(fherr.KindNotImplemented, "search is not available yet")
}
