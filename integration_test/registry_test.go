package integration

import (
	"github.com/rorfhir/ror/store"
)

// noIndex stands in for the search registry until fhir/search extracts values.
type noIndex struct{}

func (noIndex) Extract(typ string, body []byte) (store.Index, error) { return store.Index{}, nil }

func newRegistry() noIndex { return noIndex{} }
