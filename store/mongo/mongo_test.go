package mongo

import (
	"testing"

	"github.com/rorfhir/ror/store"
	"github.com/rorfhir/ror/store/storetest"
)

// TestContract runs the store contract suite on one server (see mongotest), one database per
// group of subtests.
func TestContract(t *testing.T) {
	uri := server(t)
	storetest.Run(t, func(t *testing.T) store.Store { return openStore(t, uri) })
}
