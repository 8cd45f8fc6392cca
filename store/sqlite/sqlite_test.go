package sqlite_test

import (
	"testing"

	"github.com/rorfhir/ror/store"
	"github.com/rorfhir/ror/store/sqlite"
	"github.com/rorfhir/ror/store/storetest"
)

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return sqlite.OpenTemp(t) })
}
