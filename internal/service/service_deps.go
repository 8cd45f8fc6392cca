package service

import (
	"net/url"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/fhir/resource"
	"github.com/rorfhir/ror/fhir/search"
	"github.com/rorfhir/ror/store"
)

// Registry is what the service needs from the search-parameter registry; *search.Registry
// implements it: extraction of the search values of a body at write time, query parsing, and the
// list of parameters (for the CapabilityStatement).
type Registry interface {
	Extract(typ string, body []byte) (store.Index, error)
	ParseQuery(typ string, params url.Values, opts search.Options) (search.Search, []fherr.Issue, error)
	Params(typ string) []search.Param
	// All lists every parameter (the SearchParameter resources served).
	All() []search.Param
	// IncludeParams and References serve _include and _revinclude.
	IncludeParams(in search.Include) []string
	References(typ string, body []byte, codes []string) []store.ReferenceValue
}

var _ Registry = (*search.Registry)(nil)

// supportedTypes lists the served resource types.
func supportedTypes() []string { return resource.SupportedTypes() }

// SearchParam describes a supported search parameter (for the CapabilityStatement).
type SearchParam struct {
	Name          string // code used in queries
	Type          string // FHIR search param type: token, string, date, reference...
	Definition    string // canonical URL of its SearchParameter ("" when none)
	Documentation string
}

// SearchParams lists the search parameters supported on typ.
func (s *Service) SearchParams(typ string) []SearchParam {
	ps := s.reg.Params(typ)
	out := make([]SearchParam, 0, len(ps))
	for _, p := range ps {
		out = append(out, SearchParam{Name: p.Code, Type: p.Type, Definition: p.URL, Documentation: search.Documentation(p)})
	}
	return out
}
