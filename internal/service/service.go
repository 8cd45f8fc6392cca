// Package service holds the rules of the FHIR REST interactions of the ror server: what a create,
// update, delete, read, vread, history or search means, independently of HTTP. The API handlers,
// the FINESS importer and the bulk loader all write through it, so that a resource enters the
// store by one path only (body checks, pluggable checks, id and meta stamping, index extraction).
//
// Every failure it returns is an *fherr.Error (store sentinel errors are passed through wrapped, and
// mapped to HTTP by the api package).
//
// This package must not import api, echo or any HTTP framework, nor a store backend.
package service

import (
	"context"
	"encoding/hex"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/store"
)

// Defaults of Options.
const (
	DefaultMaxBodyBytes    = 10 << 20
	DefaultCount           = 200
	DefaultMaxCount        = 1000
	DefaultHistoryCount    = 100
	DefaultMaxHistoryCount = 1000
	DefaultUpdateRetries   = 5
	DefaultUpsertBatch     = 500
)

// Check is a rule applied to every write before it is stored (profile validation, FINESS-owned
// elements protection...). current is the current version (nil when the resource does not exist;
// possibly a tombstone); body is the incoming JSON (nil for a delete). Issues of severity "error"
// or "fatal" reject the write with 422; other issues are passed to the client as warnings. A
// returned error is a failure of the check itself (500 unless it is an *fherr.Error).
type Check interface {
	Check(ctx context.Context, typ string, current *store.Version, body []byte) ([]fherr.Issue, error)
}

// CheckFunc adapts a function to Check.
type CheckFunc func(ctx context.Context, typ string, current *store.Version, body []byte) ([]fherr.Issue, error)

// Check calls f.
func (f CheckFunc) Check(ctx context.Context, typ string, current *store.Version, body []byte) ([]fherr.Issue, error) {
	return f(ctx, typ, current, body)
}

// Options tune the service. Zero values take the documented defaults.
type Options struct {
	// MaxBodyBytes is the largest accepted resource body (default 10 MB).
	MaxBodyBytes int64
	// DefaultCount and MaxCount bound search pages (defaults 200 and 1000).
	DefaultCount int
	MaxCount     int
	// HistoryCount and MaxHistoryCount bound history pages (defaults 100 and 1000).
	HistoryCount    int
	MaxHistoryCount int
	// StrictSearch rejects unknown search parameters (Prefer: handling=strict is per request).
	StrictSearch bool
	// UpdateRetries bounds the retries of an unconditional update losing a version race (default 5).
	UpdateRetries int
	// UpsertBatch is the number of writes per store.PutMany in Upsert (default 500).
	UpsertBatch int
	// MaxBundleEntries bounds the entries of a batch or transaction (default 1000).
	MaxBundleEntries int
	// Checks run on every write, in order.
	Checks []Check
	// Profiles serves $validate, the StructureDefinitions and the supported profiles (nil: none).
	Profiles Profiles
	// Terminology serves ValueSet/$validate-code and $expand (nil: answered 501).
	Terminology Terminology
	// Now gives the time of writes (default time.Now); tests pin it.
	Now func() time.Time
	// NewID gives server-assigned ids (default 32 random hex digits).
	NewID func() string
}

func (o Options) withDefaults() Options {
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.DefaultCount <= 0 {
		o.DefaultCount = DefaultCount
	}
	if o.MaxCount <= 0 {
		o.MaxCount = DefaultMaxCount
	}
	if o.DefaultCount > o.MaxCount {
		o.DefaultCount = o.MaxCount
	}
	if o.HistoryCount <= 0 {
		o.HistoryCount = DefaultHistoryCount
	}
	if o.MaxHistoryCount <= 0 {
		o.MaxHistoryCount = DefaultMaxHistoryCount
	}
	if o.HistoryCount > o.MaxHistoryCount {
		o.HistoryCount = o.MaxHistoryCount
	}
	if o.UpdateRetries <= 0 {
		o.UpdateRetries = DefaultUpdateRetries
	}
	if o.UpsertBatch <= 0 {
		o.UpsertBatch = DefaultUpsertBatch
	}
	if o.MaxBundleEntries <= 0 {
		o.MaxBundleEntries = DefaultMaxBundleEntries
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.NewID == nil {
		o.NewID = randomID
	}
	return o
}

// Service carries out the FHIR interactions over a store. It is safe for concurrent use.
type Service struct {
	st    store.Store
	reg   Registry
	opts  Options
	types map[string]bool
}

// New returns a service writing to and reading from st, indexing and parsing searches with reg.
func New(st store.Store, reg Registry, opts Options) *Service {
	s := &Service{st: st, reg: reg, opts: opts.withDefaults(), types: map[string]bool{}}
	for _, t := range supportedTypes() {
		s.types[t] = true
	}
	return s
}

// Types lists the resource types served, sorted.
func (s *Service) Types() []string { return supportedTypes() }

// SupportsType reports whether typ is a served resource type.
func (s *Service) SupportsType(typ string) bool { return s.types[typ] }

// MaxBodyBytes is the largest accepted body; the API reads at most one byte more.
func (s *Service) MaxBodyBytes() int64 { return s.opts.MaxBodyBytes }

// Ping checks the store answers.
func (s *Service) Ping(ctx context.Context) error {
	if err := s.st.Ping(ctx); err != nil {
		return fherr.Fault(err)
	}
	return nil
}

func (s *Service) checkType(typ string) error {
	if !s.types[typ] {
		return fherr.NotFound("resource type %q is not supported by this server", typ)
	}
	return nil
}

// now is the write time: UTC, millisecond precision (what the store keeps).
func (s *Service) now() time.Time { return s.opts.Now().UTC().Truncate(time.Millisecond) }

// storeErr turns a store failure into a client-visible error: sentinels keep their identity
// (wrapped in the matching fherr kind), anything else is a fault.
func storeErr(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := fherr.As(err); ok {
		return err
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return fherr.Wrap(err, fherr.KindNotFound, "not-found", "", "not found")
	case errors.Is(err, store.ErrVersionConflict):
		return fherr.Wrap(err, fherr.KindConflict, "conflict", "", "the resource was changed by another request; retry")
	case errors.Is(err, store.ErrInvalidCursor):
		return fherr.Wrap(err, fherr.KindInvalid, "invalid", "", "invalid paging cursor")
	case errors.Is(err, store.ErrUnsupported):
		return fherr.Wrap(err, fherr.KindNotImplemented, "not-supported", "", "this query is not supported by the store")
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fherr.Wrap(err, fherr.KindFault, "timeout", "", "request cancelled or timed out")
	}
	return fherr.Fault(err)
}

// randomID returns a new server-assigned id: a UUID version 7 (RFC 9562) as 32 hex digits (a
// valid FHIR id). Its first 48 bits are the time of creation in milliseconds (then a counter and
// 62 random bits), so ids assigned one after the other sort together: the store's indexes by id
// grow at their end rather than at a random page (two pages fewer to write per create on
// SQLite), and the id order follows the creation order.
func randomID() string {
	u := uuid.Must(uuid.NewV7()) // reads crypto/rand, which never fails (Go >= 1.24)
	return hex.EncodeToString(u[:])
}

// validID reports whether id is a FHIR id: [A-Za-z0-9\-\.]{1,64}.
func validID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '.':
		default:
			return false
		}
	}
	return true
}
