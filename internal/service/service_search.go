package service

import (
	"context"
	"net/url"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/fhir/search"
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
	count  int // > 0: the page size, whatever the query says
	strict bool
}

// SearchResult is one page of a search.
type SearchResult struct {
	Matches []store.Version
	// Included are the resources _include and _revinclude add (search.mode=include), each once.
	Included []store.Version
	Total    int // -1 when not computed (_total=accurate, _summary=count and _total=estimate compute it)
	// Self and Next are canonical query strings (Next "" on the last page); Self carries the
	// cursor of this page when it is not the first.
	Self, Next string
	// Warnings are issues for the searchset's OperationOutcome entry (ignored parameters...).
	Warnings []fherr.Issue
}

// Search runs a type-level search: the registry parses the query into the store's predicates,
// the store answers one keyset page; Next carries an opaque cursor holding the position and the
// snapshot of the first page, so that following pages never repeat a resource.
func (s *Service) Search(ctx context.Context, typ string, params url.Values, opts SearchOptions) (SearchResult, error) {
	if err := s.checkType(typ); err != nil {
		return SearchResult{}, err
	}
	return s.search(ctx, typ, params, searchControl{strict: opts.Strict || s.opts.StrictSearch})
}

func (s *Service) search(ctx context.Context, typ string, params url.Values, c searchControl) (SearchResult, error) {
	po := search.Options{DefaultCount: s.opts.DefaultCount, MaxCount: s.opts.MaxCount, Strict: c.strict}
	if c.count > 0 {
		po.DefaultCount, po.MaxCount = c.count, c.count
	}
	sr, issues, err := s.reg.ParseQuery(typ, params, po)
	if err != nil {
		return SearchResult{}, asInvalid(err, "invalid", "the search cannot be parsed")
	}
	res, err := s.st.Search(ctx, sr.Query)
	if err != nil {
		return SearchResult{}, storeErr(err)
	}
	out := SearchResult{Matches: shape(sr, res.Matches), Total: -1, Self: sr.Canonical, Warnings: issues}
	if sr.Query.Total || sr.Query.TotalCap > 0 {
		out.Total = res.Total
	}
	if sr.Summary == search.SummaryCount {
		out.Matches = nil
		return out, nil
	}
	inc, incIssues, err := s.includes(ctx, sr, res.Matches)
	if err != nil {
		return SearchResult{}, err
	}
	out.Included = inc
	out.Warnings = append(out.Warnings, incIssues...)
	if sr.Cursor != nil {
		out.Self += "&" + search.CursorParam + "=" + url.QueryEscape(params.Get(search.CursorParam))
	}
	if res.Next != nil {
		maxSeq := sr.Query.MaxSeq
		if maxSeq == 0 {
			maxSeq = res.MaxSeq
		}
		out.Next = sr.Canonical + "&" + search.CursorParam + "=" + url.QueryEscape(sr.NextCursor(*res.Next, maxSeq))
	}
	return out, nil
}
