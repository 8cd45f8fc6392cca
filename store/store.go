// Package store defines the storage contract of the ror server: versioned FHIR resources kept as
// the client's JSON bytes, their history with a global change sequence, and search over values
// extracted at write time (see Index and Query).
//
// Backends (store/sqlite, store/mongo) implement Store; the contract suite in store/storetest runs
// unchanged against each of them. A behaviour that differs between backends is a bug.
//
// This package must not import any other package of the project, nor a backend driver.
package store

import (
	"context"
	"errors"
	"strconv"
	"time"
)

// Sentinel errors. Backends wrap them with %w; callers test them with errors.Is.
var (
	// ErrNotFound: the resource (or the version) never existed.
	ErrNotFound = errors.New("not found")
	// ErrVersionConflict: Put was asked to write version N but the current version is not N-1.
	ErrVersionConflict = errors.New("version conflict")
	// ErrInvalidCursor: a paging cursor could not be decoded or does not belong to this query.
	ErrInvalidCursor = errors.New("invalid cursor")
	// ErrUnsupported: the backend cannot evaluate this part of a query.
	ErrUnsupported = errors.New("unsupported by this store")
)

// Version is one stored version of a resource.
type Version struct {
	Type      string
	ID        string
	VersionID int64 // 1, 2, 3... per resource
	// Seq is the global change sequence of the write that produced this version. It is strictly
	// increasing across the whole store in commit order of each backend's writer.
	Seq         int64
	LastUpdated time.Time // UTC, millisecond precision
	Deleted     bool      // a tombstone: Body is nil
	Body        []byte    // the exact JSON served to clients (id and meta already set)
	// Method is Write.Method as stored, on the versions History and Put return ("" when the
	// version was stored without it).
	Method string
}

// Write is one new version of a resource, fully prepared by the caller (body stamped with id,
// meta.versionId and meta.lastUpdated; search values extracted).
type Write struct {
	Type      string
	ID        string
	VersionID int64 // must be the current version + 1 (1 when the resource never existed)
	// LastUpdated is stored as is (callers give UTC truncated to the millisecond).
	LastUpdated time.Time
	Deleted     bool   // a tombstone; Body and Index are empty
	Body        []byte // nil for a tombstone
	Index       Index  // search values of Body; stored with the current version only
	// Method is the HTTP method of the interaction that wrote the version (POST for a create with
	// a server-assigned id, PUT for an update or an update-as-create, DELETE), kept for history
	// entries: a consumer replaying history must PUT a resource created by update-as-create under
	// its own id. "" when the caller does not say.
	Method string
}

// HistoryQuery selects versions, newest first (descending Seq).
type HistoryQuery struct {
	Type string // "" = every type (system level)
	ID   string // "" = every resource of Type (type level); requires Type
	// Since keeps versions with LastUpdated >= Since (zero = no bound).
	Since time.Time
	// At keeps, per resource, the version that was current at instant At: LastUpdated <= At and not
	// superseded by a later version at or before At (zero = no bound).
	At time.Time
	// BeforeSeq is the keyset position: only versions with Seq < BeforeSeq (0 = from the newest).
	BeforeSeq int64
	Count     int // page size, > 0
}

// HistoryPage is one page of history.
type HistoryPage struct {
	Versions []Version
	// NextBeforeSeq is the BeforeSeq of the next page; 0 when there is no more.
	NextBeforeSeq int64
}

// Capabilities says what a backend can do beyond the common contract.
type Capabilities struct {
	// Transactions: PutMany is all-or-nothing.
	Transactions bool
}

// Store is the storage contract. All methods are safe for concurrent use.
type Store interface {
	// Put appends w as the next version of w.Type/w.ID and makes it current. It fails with
	// ErrVersionConflict when the current version is not w.VersionID-1 (no version at all counts as
	// 0), so that exactly one of several concurrent writers of the same version wins.
	// The returned Version carries the assigned Seq.
	Put(ctx context.Context, w Write) (Version, error)
	// PutMany applies several writes in order, each checked as Put does. When Capabilities says
	// Transactions, either all are applied or none; otherwise writes before the failing one stay.
	// The error of a failing write is wrapped in a *BatchError naming its index.
	PutMany(ctx context.Context, ws []Write) ([]Version, error)
	// Read returns the current version (possibly a tombstone, Deleted=true) or ErrNotFound.
	Read(ctx context.Context, typ, id string) (Version, error)
	// VRead returns version vid of a resource (possibly a tombstone) or ErrNotFound.
	VRead(ctx context.Context, typ, id string, vid int64) (Version, error)
	// History returns a page of versions, newest first.
	History(ctx context.Context, q HistoryQuery) (HistoryPage, error)
	// Search evaluates q over current, non-deleted versions.
	Search(ctx context.Context, q Query) (SearchResult, error)
	// Reindex replaces the search values of the current version of typ/id, when its VersionID is
	// vid, with idx, without making a new version (no new Seq, history unchanged): used when the
	// search parameters change. It fails with ErrNotFound when the resource does not exist or is
	// deleted, and ErrVersionConflict when its current version is not vid.
	Reindex(ctx context.Context, typ, id string, vid int64, idx Index) error
	// Capabilities describes the backend.
	Capabilities() Capabilities
	// Ping checks the backend answers (readiness).
	Ping(ctx context.Context) error
	// Close releases the backend's resources.
	Close(ctx context.Context) error
}

// BatchError tells which write of a PutMany failed.
type BatchError struct {
	Index int
	Err   error
}

func (e *BatchError) Error() string { return "write " + strconv.Itoa(e.Index) + ": " + e.Err.Error() }
func (e *BatchError) Unwrap() error { return e.Err }
