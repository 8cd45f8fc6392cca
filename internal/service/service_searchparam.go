package service

import (
	"net/url"
	"strings"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/fhir/search"
)

// SearchParameter returns the SearchParameter resource id of the registry (generated, read-only).
func (s *Service) SearchParameter(id string) ([]byte, error) {
	for _, p := range s.reg.All() {
		if search.ParamID(p) == id {
			return search.SearchParameterJSON(p), nil
		}
	}
	return nil, fherr.NotFound("SearchParameter/%s is not known to this server", id)
}

// searchParamFilters are the parameters a SearchParameter search understands, and what each
// compares (exact match, any of comma-separated values).
var searchParamFilters = map[string]func(search.Param) []string{
	"_id":  func(p search.Param) []string { return []string{search.ParamID(p)} },
	"url":  func(p search.Param) []string { return []string{p.URL} },
	"code": func(p search.Param) []string { return []string{p.Code} },
	"name": func(p search.Param) []string { return []string{p.Code} },
	"base": func(p search.Param) []string { return p.Base },
	"type": func(p search.Param) []string { return []string{p.Type} },
}

// SearchParameters searches the registry's SearchParameter resources by _id, url, code, name,
// base and type (every match, no paging: the registry is small). Other parameters are ignored
// with a warning, or rejected when strict.
func (s *Service) SearchParameters(params url.Values, opts SearchOptions) ([][]byte, []fherr.Issue, error) {
	var issues []fherr.Issue
	type filter struct {
		get  func(search.Param) []string
		vals []string
	}
	var fs []filter
	for key, vals := range params {
		switch key {
		case "_count", "_format", "_pretty", "_total":
			continue
		}
		get, ok := searchParamFilters[key]
		if !ok {
			is := fherr.Issue{Severity: "warning", Code: "not-supported", Expression: []string{key},
				Diagnostics: "parameter " + key + " is not supported on SearchParameter (use _id, url, code, name, base, type); ignored"}
			if opts.Strict || s.opts.StrictSearch {
				is.Severity = "error"
				return nil, nil, &fherr.Error{Kind: fherr.KindInvalid, Issues: []fherr.Issue{is}}
			}
			issues = append(issues, is)
			continue
		}
		for _, v := range vals {
			fs = append(fs, filter{get: get, vals: strings.Split(v, ",")})
		}
	}
	var out [][]byte
	for _, p := range s.reg.All() {
		ok := true
		for _, f := range fs {
			ok = ok && anyEqual(f.get(p), f.vals)
		}
		if ok {
			out = append(out, search.SearchParameterJSON(p))
		}
	}
	return out, issues, nil
}

func anyEqual(have, want []string) bool {
	for _, h := range have {
		for _, w := range want {
			if h == w {
				return true
			}
		}
	}
	return false
}
