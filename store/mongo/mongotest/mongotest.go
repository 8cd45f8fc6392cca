// Package mongotest gives tests of any package a MongoDB server and a fresh database on it.
//
// The server is chosen in this order (see docs/architecture.md):
//  1. the environment variable MONGODB_URI, when set;
//  2. a mongo:7 replica set started with testcontainers-go, when a Docker engine answers
//     (unless ROR_MONGOTEST=ferretdb);
//  3. an embedded FerretDB (SQLite handler, data in a temporary directory) on a random local port.
//
// FerretDB never uses indexes and has no transactions: tests keep their datasets small and skip
// what needs transactions when the store's capabilities say so.
//
// This package is for tests only. It must not import any package of the project (in particular
// not store/mongo, whose own tests import it).
package mongotest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// EnvURI is the environment variable naming an existing MongoDB server for tests.
const EnvURI = "MONGODB_URI"

// EnvBackend, set to "ferretdb", skips the Docker probe (when MONGODB_URI is not set).
const EnvBackend = "ROR_MONGOTEST"

// Backend names which kind of server URI returned.
type Backend string

// Backends.
const (
	BackendEnv       Backend = "env"
	BackendContainer Backend = "testcontainers"
	BackendFerretDB  Backend = "ferretdb"
)

// URI returns the URI of a MongoDB server usable until the end of t (servers started here are
// stopped by t.Cleanup). Call it once per top-level test and share the URI among subtests:
// each subtest then takes its own database with Database.
func URI(t testing.TB) string {
	t.Helper()
	uri, _ := Server(t)
	return uri
}

// Server is URI that also says which backend answered.
func Server(t testing.TB) (string, Backend) {
	t.Helper()
	if uri := os.Getenv(EnvURI); uri != "" {
		return uri, BackendEnv
	}
	if os.Getenv(EnvBackend) != string(BackendFerretDB) && dockerRuns() {
		return startContainer(t), BackendContainer
	}
	return startFerretDB(t), BackendFerretDB
}

// Database returns a fresh database name on the server at uri, dropped when t ends.
func Database(t testing.TB, uri string) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("mongotest: random database name: %v", err)
	}
	name := "rortest_" + hex.EncodeToString(b[:])
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c, err := mongo.Connect(options.Client().ApplyURI(uri))
		if err != nil {
			t.Logf("mongotest: drop %s: %v", name, err)
			return
		}
		defer func() { _ = c.Disconnect(ctx) }()
		if err := c.Database(name).Drop(ctx); err != nil {
			t.Logf("mongotest: drop %s: %v", name, err)
		}
	})
	return name
}
