package finess

import "context"

// Key names a resource.
type Key struct{ Type, ID string }

// Resource is one body to write.
type Resource struct {
	Type, ID string
	Body     []byte // compact JSON without meta.versionId/lastUpdated (the server stamps them)
}

// Status is what a write did.
type Status int

// Statuses of an Outcome.
const (
	Unchanged Status = iota // same content as the current version: nothing written
	Created
	Updated
	Rejected // refused (Err says why); the import goes on
)

// Outcome is the result of one Resource of an Upsert.
type Outcome struct {
	Status Status
	Err    error // set when Rejected
}

// Target is the write path the import goes through: the caller adapts the server's service (the
// same checks as the API) and store to it. The import calls Current and Upsert from several
// goroutines at once (Options.InFlight batches), always on distinct resources: a Target must be
// safe for concurrent use.
type Target interface {
	// Current returns the current body of each key that exists and is not deleted.
	Current(ctx context.Context, keys []Key) (map[Key][]byte, error)
	// ListIDs returns the ids of the current, non-deleted resources of typ whose id starts with
	// prefix (the import asks for the FINESS-sourced ones, to close those missing from the file).
	ListIDs(ctx context.Context, typ, prefix string) ([]string, error)
	// Upsert writes each resource whose content differs from its current version (creating it
	// when it does not exist) and returns one Outcome per input, in order. An error means the
	// batch as a whole failed and ends the import.
	Upsert(ctx context.Context, in []Resource) ([]Outcome, error)
}

// importKey marks the context of the import's writes; see importing.
type importKey struct{}

// importing returns ctx marked as the FINESS import's own write, which the Guard lets through.
// The key type is unexported: only this package can set the mark, and nothing a client sends
// reaches a context value.
func importing(ctx context.Context) context.Context { return context.WithValue(ctx, importKey{}, true) }

// IsImport reports whether ctx carries the mark of the FINESS import (for logs and audit).
func IsImport(ctx context.Context) bool { return ctx.Value(importKey{}) != nil }
