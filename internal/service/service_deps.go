package service

import (
	"github.com/rorfhir/ror/fhir/resource"
	"github.com/rorfhir/ror/store"
)

// Registry is what the service needs from the search-parameter registry (fhir/search.Registry):
// extraction of the search values of a body at write time.
type Registry interface {
	Extract(typ string, body []byte) (store.Index, error)
}

// supportedTypes lists the served resource types.
func supportedTypes() []string { return resource.SupportedTypes() }

// SearchParam describes a supported search parameter (for the CapabilityStatement).
type SearchParam struct {
	Name          string // code used in queries
	Type          string // FHIR search param type: token, string, date, reference...
	Definition    string // canonical URL of its SearchParameter ("" when none)
	Documentation string
}

// paramLister is implemented by registries that can list their parameters.
type paramLister interface {
	SearchParams(typ string) []SearchParam
}

// SearchParams lists the search parameters supported on typ.
func (s *Service) SearchParams(typ string) []SearchParam {
	if pl, ok := s.reg.(paramLister); ok {
		return pl.SearchParams(typ)
	}
	return nil
}
