package integration

import (
	"github.com/rorfhir/ror/fhir/search"
)

// newRegistry is the search registry the server runs with.
func newRegistry() *search.Registry { return search.Default() }
