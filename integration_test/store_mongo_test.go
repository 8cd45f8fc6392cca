//go:build mongodb

package integration

import (
	"context"
	"testing"

	"github.com/rorfhir/ror/store"
	"github.com/rorfhir/ror/store/mongo"
	"github.com/rorfhir/ror/store/mongo/mongotest"
)

// openStore opens a fresh MongoDB database for one test (the server named by MONGODB_URI, else a
// testcontainers replica set, else an embedded FerretDB; see store/mongo/mongotest). Selected by
// -tags mongodb: the same scenarios must pass on both backends.
func openStore(t testing.TB) store.Store {
	t.Helper()
	ctx := context.Background()
	uri := mongotest.URI(t)
	st, err := mongo.Open(ctx, mongo.Options{URI: uri, Database: mongotest.Database(t, uri)})
	if err != nil {
		t.Fatalf("open mongodb: %v", err)
	}
	t.Cleanup(func() { _ = st.Close(context.Background()) })
	return st
}
