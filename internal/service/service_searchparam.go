package service

import (
	"net/url"

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
	all := s.reg.All()
	idx, issues, err := memSearch("SearchParameter", all, searchParamFilters, params, opts.Strict || s.opts.StrictSearch)
	if err != nil {
		return nil, nil, err
	}
	out := make([][]byte, len(idx))
	for k, i := range idx {
		out[k] = search.SearchParameterJSON(all[i])
	}
	return out, issues, nil
}
