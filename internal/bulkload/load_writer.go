// Package bulkload is the logic of `ror load`: it reads FHIR resources from NDJSON files (also
// gzip-compressed, and .tar.gz archives of NDJSON) and JSON files holding a Bundle (collection,
// transaction, batch or searchset: each entry.resource) or a single resource, and sends them in
// batches to a Writer — the server's write path, which applies the same checks as the API. Every
// refused line is reported with its file and line; the load goes on.
//
// This package must not import api, internal/service, echo, or any store backend.
package bulkload

import (
	"context"
	"fmt"
)

// Resource is one resource to write.
type Resource struct {
	Type, ID string // ID is "" when the resource has none (the Writer decides)
	Body     []byte
}

// Status is what a write did.
type Status int

// Statuses of an Outcome.
const (
	Unchanged Status = iota
	Created
	Updated
	Rejected
)

// Outcome is the result of one Resource of an Upsert.
type Outcome struct {
	Status Status
	Err    error // why it was rejected
}

// Writer is the write path: it writes each resource whose content differs from its current
// version and returns one Outcome per input, in order. An error fails the whole load.
type Writer interface {
	Upsert(ctx context.Context, in []Resource) ([]Outcome, error)
}

// Problem is a line or entry that was not loaded.
type Problem struct {
	Source string // file, or archive:member
	Line   int    // NDJSON line; 0 for a JSON file
	Entry  int    // Bundle entry index (0-based) in a JSON file; -1 otherwise
	ID     string // Type/id when known
	Reason string
}

func (p Problem) String() string {
	s := p.Source
	switch {
	case p.Line > 0:
		s += fmt.Sprintf(":%d", p.Line)
	case p.Entry >= 0:
		s += fmt.Sprintf(": entry[%d]", p.Entry)
	}
	s += ": "
	if p.ID != "" {
		s += p.ID + ": "
	}
	return s + p.Reason
}

// Summary counts what a load did.
type Summary struct {
	Files                       int // files and archive members read
	Resources                   int // resources read
	Created, Updated, Unchanged int
	Rejected                    int // lines or entries refused (unreadable or refused by the Writer)
}
