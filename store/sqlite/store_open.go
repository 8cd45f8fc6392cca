// Package sqlite is the embedded, default backend of the ror server: a store.Store kept in one
// SQLite file (modernc.org/sqlite, pure Go), sized for the national dataset (millions of
// resources) with indexed searches.
//
// Layout: every version lives once in table version (history keyed by the change sequence, body
// zstd-compressed when that pays); table resource points at the current version of each
// resource; the search values of the current version live in one table per value kind (ix_token,
// ix_string, ...), clustered by resource row for replacement and indexed by (parameter, value)
// for lookups. Parameter names, token systems and URIs are interned as small integers.
//
// Writes go through one writer connection. Concurrent Puts are group-committed: one transaction
// for all the Puts queued while the previous one ran, each checked on its own. modernc.org/sqlite
// prepares a statement again on every execution, so a batch writes each table with one statement
// over a JSON array (json_each) rather than one statement per row. Reads use a pool of
// connections on the WAL snapshot; a search runs its page and total in one read transaction.
// Every user value reaches SQL as a bound parameter.
//
// Search plans: a selective condition drives the search from its index (the matches are
// collected, then ordered); a broad one, when the page is in id order, walks the resources of the
// type in id order and tests each until the page is full (search_walk.go decides, from a bounded
// count of the index); a sorted page reads the sort index in order. A total of one index
// membership counts index rows (param.multi says when a parameter may repeat for a resource).
//
// This package must not import other packages of the project except store, and never fhir/...
// packages: it stores and queries the flat values it is given.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/rorfhir/ror/store"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

var _ store.Store = (*Store)(nil)

// Options configures Open.
type Options struct {
	// Path is the database file (the server passes <data-dir>/ror.db). Its directory is created
	// when missing. Required.
	Path string
	// ReadConns is the size of the read connection pool (default: max(4, 2*GOMAXPROCS)).
	ReadConns int
	// CacheKiB is the page cache of each connection in KiB (default 16384 for the writer,
	// a quarter of it for each reader). Pages are read through the memory map; the cache holds
	// the pages a transaction changes and those read back from the WAL. SQLite scans the whole
	// cache's hash table at the end of each write transaction: with 64 MiB, 200 µs per commit
	// (pcache1TruncateUnsafe), for no faster import (46.2 and 47.3 s against 46.0 and 46.9 s
	// with 16 MiB) and 80 to 100 MB more resident memory.
	CacheKiB int
	// WALResetFrames is the WAL length, in frames of one page, past which the checkpointer
	// briefly holds the writer so that the WAL starts over (see checkpointer; default 16384,
	// 64 MiB of 4 KiB pages).
	WALResetFrames int64
	// CurrentCacheKiB bounds the cache of current versions and references that _include reads
	// (currentCache; default 32768, 32 MiB); a negative value turns it off.
	CurrentCacheKiB int
}

// Store is the SQLite store.Store. Create it with Open; it is safe for concurrent use.
type Store struct {
	read   *sql.DB     // pool of read connections (searches, history)
	points *pointReads // reads by key
	w      *writer
	wsem   chan struct{} // the writer's lock, acquired with a context
	queue  putQueue      // Puts waiting for a group commit
	dicts  *dicts
	codec  *bodyCodec
	ckpt   *checkpointer
	cur    *currentCache // nil when turned off
	// counts estimates the resources of each type for the search planner (planWalk).
	counts typeCounts
	lock   *os.File // held from Open to Close: one Store per database (lockDatabase)
	once   sync.Once
}

// Open opens (creating if needed) the database at opts.Path and migrates its schema.
func Open(ctx context.Context, opts Options) (*Store, error) {
	if opts.Path == "" {
		return nil, errors.New("sqlite: Options.Path is required")
	}
	if strings.ContainsRune(opts.Path, '?') {
		return nil, fmt.Errorf("sqlite: path %q must not contain '?'", opts.Path)
	}
	if err := registerFuncs(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(opts.Path), 0o750); err != nil {
		return nil, fmt.Errorf("sqlite: create data directory: %w", err)
	}
	lock, err := lockDatabase(opts.Path)
	if err != nil {
		return nil, err
	}
	opened := false
	defer func() {
		if !opened {
			lock.Close() // a failed Open keeps nothing held
		}
	}()
	if opts.ReadConns <= 0 {
		opts.ReadConns = max(4, 2*runtime.GOMAXPROCS(0))
	}
	if opts.CurrentCacheKiB == 0 {
		opts.CurrentCacheKiB = 32 << 10
	}
	if opts.WALResetFrames <= 0 {
		opts.WALResetFrames = defaultResetFrames
	}
	if opts.CacheKiB <= 0 {
		opts.CacheKiB = 16384
	}
	// Settings of every connection, as pragma(value): the database/sql connections take them in
	// their DSN, the zombiezen ones (writer, reads by key) as PRAGMA statements.
	common := []string{"busy_timeout(10000)", "foreign_keys(0)", "synchronous(NORMAL)", "temp_store(MEMORY)",
		"mmap_size(2147418112)"}
	writing := slices.Concat(common, []string{"journal_mode(WAL)", "wal_autocheckpoint(0)",
		"journal_size_limit(67108864)", fmt.Sprintf("cache_size(-%d)", opts.CacheKiB)})
	reading := slices.Concat(common, []string{"query_only(1)", fmt.Sprintf("cache_size(-%d)", max(opts.CacheKiB/4, 2048))})
	wdb, err := sql.Open("sqlite", dsn(opts.Path, writing))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	wdb.SetMaxOpenConns(1) // the migration's connection, closed once the schema is migrated
	codec, err := newBodyCodec()
	if err != nil {
		_ = wdb.Close()
		return nil, err
	}
	s := &Store{wsem: make(chan struct{}, 1), dicts: newDicts(), codec: codec, cur: newCurrentCache(opts.CurrentCacheKiB << 10)}
	if err := migrate(ctx, wdb); err != nil {
		_ = wdb.Close()
		return nil, err
	}
	// The schema is migrated: the migration's connection gives way to the writer's.
	if err := wdb.Close(); err != nil {
		return nil, fmt.Errorf("sqlite: close migration connection: %w", err)
	}
	s.w, err = newWriter(opts.Path, writing)
	if err != nil {
		return nil, err
	}
	rdb, err := sql.Open("sqlite", dsn(opts.Path, reading))
	if err != nil {
		_ = s.w.close()
		return nil, fmt.Errorf("sqlite: open readers: %w", err)
	}
	cdb, err := sql.Open("sqlite", dsn(opts.Path, common))
	if err != nil {
		_ = rdb.Close()
		_ = s.w.close()
		return nil, fmt.Errorf("sqlite: open checkpointer: %w", err)
	}
	cdb.SetMaxOpenConns(1)
	s.ckpt = newCheckpointer(cdb, s.wsem, opts.WALResetFrames)
	rdb.SetMaxOpenConns(opts.ReadConns)
	rdb.SetMaxIdleConns(opts.ReadConns)
	rdb.SetConnMaxIdleTime(0)
	rdb.SetConnMaxLifetime(0)
	s.read = rdb
	s.points, err = openPointReads(opts.Path, opts.ReadConns, reading)
	if err != nil {
		_ = s.ckpt.close()
		_ = rdb.Close()
		_ = s.w.close()
		return nil, err
	}
	if err := s.counts.load(ctx, rdb); err != nil {
		_ = s.Close(ctx)
		return nil, err
	}
	s.lock, opened = lock, true
	return s, nil
}

// dsn is the modernc.org/sqlite data source name of path with these pragmas, each name(value).
func dsn(path string, pragmas []string) string {
	return path + "?_pragma=" + strings.Join(pragmas, "&_pragma=")
}

// pragmaStatements turns pragmas, each name(value), into statements.
func pragmaStatements(pragmas []string) []string {
	out := make([]string, len(pragmas))
	for i, p := range pragmas {
		out[i] = "PRAGMA " + p
	}
	return out
}

// Capabilities implements store.Store: PutMany runs in one SQLite transaction.
func (s *Store) Capabilities() store.Capabilities { return store.Capabilities{Transactions: true} }

// Ping implements store.Store.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	return nil
}

// Close implements store.Store. It waits for the write in progress, if any, unless ctx ends
// first: then it returns, and the write connection is closed as soon as that write ends.
func (s *Store) Close(ctx context.Context) error {
	var errs []error
	s.once.Do(func() {
		locked := true
		select {
		case s.wsem <- struct{}{}:
		case <-ctx.Done():
			errs = append(errs, ctx.Err())
			locked = false
		}
		errs = append(errs, s.ckpt.close())
		if locked { // fold the WAL back into the database file so that it is self-contained
			if err := s.w.run("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
				errs = append(errs, err)
			}
		}
		errs = append(errs, s.read.Close(), s.points.close())
		if locked {
			errs = append(errs, s.w.close())
			s.unlockWriter() // later writes fail on the closed connection instead of blocking
		} else {
			// The write in progress owns the connection: it is closed when that write ends.
			go func() {
				s.wsem <- struct{}{}
				_ = s.w.close()
				s.unlockWriter()
			}()
		}
		if s.lock != nil {
			errs = append(errs, s.lock.Close())
		}
	})
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sqlite: close: %w", err)
	}
	return nil
}

// lockWriter takes the writer's lock unless ctx ends first.
func (s *Store) lockWriter(ctx context.Context) error {
	select {
	case s.wsem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Store) unlockWriter() { <-s.wsem }
