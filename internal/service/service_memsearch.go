package service

import (
	"net/url"
	"slices"
	"strings"

	"github.com/rorfhir/ror/fhir/fherr"
)

// canonicalParams compare canonical URLs: a "|version" suffix in the query is ignored.
var canonicalParams = map[string]bool{"url": true, "base": true}

// memSearch is the search of the small, generated, read-only sets the server serves from memory
// (StructureDefinition, SearchParameter): every item of items whose values match every parameter
// (any of comma-separated values, exact match), as indexes into items. Paging and result
// parameters are ignored; other unknown parameters give a warning, or an error when strict.
func memSearch[T any](typ string, items []T, filters map[string]func(T) []string, params url.Values, strict bool) ([]int, []fherr.Issue, error) {
	type filter struct {
		get  func(T) []string
		vals []string
	}
	var fs []filter
	var issues []fherr.Issue
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	slices.Sort(keys) // issues in a stable order
	for _, key := range keys {
		switch key {
		case "_count", "_format", "_pretty", "_total":
			continue
		}
		get, ok := filters[key]
		if !ok {
			known := make([]string, 0, len(filters))
			for k := range filters {
				known = append(known, k)
			}
			slices.Sort(known)
			is := fherr.Issue{Severity: "warning", Code: "not-supported", Expression: []string{key},
				Diagnostics: "parameter " + key + " is not supported on " + typ + " (use " + strings.Join(known, ", ") + "); ignored"}
			if strict {
				is.Severity = "error"
				return nil, nil, &fherr.Error{Kind: fherr.KindInvalid, Issues: []fherr.Issue{is}}
			}
			issues = append(issues, is)
			continue
		}
		for _, v := range params[key] {
			var want []string
			for _, w := range strings.Split(v, ",") {
				if canonicalParams[key] {
					w, _, _ = strings.Cut(w, "|")
				}
				want = append(want, w)
			}
			fs = append(fs, filter{get: get, vals: want})
		}
	}
	var out []int
	for i, it := range items {
		ok := true
		for _, f := range fs {
			ok = ok && anyEqual(f.get(it), f.vals)
		}
		if ok {
			out = append(out, i)
		}
	}
	return out, issues, nil
}

func anyEqual(have, want []string) bool {
	for _, h := range have {
		if slices.Contains(want, h) {
			return true
		}
	}
	return false
}
