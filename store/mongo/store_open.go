// Package mongo is the MongoDB backend of the store contract (production: a replica set, where
// PutMany is a transaction). It speaks only equality, $in, single comparisons and anchored
// prefixes on flat multikey fields, so that it also runs on FerretDB (no $elemMatch, no $lookup).
//
// The server stays stateless: every concurrency guarantee comes from the database. Collections:
//   - versions: one document per version, unique on (type, id, v). Inserting version N+1 is the
//     version lock: of concurrent writers of the same version exactly one wins, the others get a
//     duplicate key, reported as store.ErrVersionConflict. It is the source of truth for Read,
//     VRead and History; `end` (the next version's LastUpdated) answers History's At.
//   - resources: the current version of each resource with its flat search keys; moved forward
//     after the version insert, guarded so that it never goes back, and rolled forward by Read,
//     Put, Reindex and Open (Repair) when a writer died between the two steps (`pend` flag).
//   - the global change sequence needs no counter: a version takes the highest stored Seq + 1,
//     and the unique index on seq turns a lost race into a retry (see insertVersion), so that Seq
//     order is commit order. (FerretDB's findAndModify $inc is not atomic under concurrency.)
//     The cost: writers are serialised on that index, as SQLite serialises them on its writer.
//
// Searches that a flat query cannot answer exactly (several bounds on one date or number value,
// quantity units, near) use the flat query as a superset filter and finish the check in Go on
// the fetched documents (query_match.go), keeping keyset paging exact. Chains and reverse chains
// run their inner query first, bounded by Options.MaxChainIDs. Sorting by a parameter is an
// in-memory (top-k) sort: sort keys live in a sub-document that no index covers.
//
// Sharding: resources may be sharded (hashed _id); versions must stay unsharded (or be sharded
// on seq), since its unique indexes on seq and (type, id, v) do not share a prefix.
//
// This package implements store.Store; it must not import any other package of the project but
// store (and its own subpackages and store/storetest in tests).
package mongo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rorfhir/ror/store"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
)

// DefaultMaxChainIDs bounds the resources an inner chained (Target) or reverse-chained (Has)
// query may match.
const DefaultMaxChainIDs = 10000

// Options configures Open.
type Options struct {
	URI      string // MongoDB connection string (required)
	Database string // database name (required)
	// ConnectTimeout bounds the first ping and index creation (default 30 s).
	ConnectTimeout time.Duration
	// MaxChainIDs bounds inner chained queries (default DefaultMaxChainIDs); a chain matching
	// more fails with store.ErrUnsupported.
	MaxChainIDs int
	// NoTransactions disables multi-document transactions even on a replica set.
	NoTransactions bool
}

// Store is the MongoDB store. It holds no state about resources: several servers may share a
// database.
type Store struct {
	client    *mongo.Client
	db        *mongo.Database
	versions  *mongo.Collection
	resources *mongo.Collection
	caps      store.Capabilities
	maxChain  int
}

var _ store.Store = (*Store)(nil)

// Open connects, pings, creates the indexes (idempotently), ensures the sequence counter and rolls
// forward writes left half-done by a dead writer.
func Open(ctx context.Context, o Options) (*Store, error) {
	if o.URI == "" || o.Database == "" {
		return nil, errors.New("mongo: URI and Database are required")
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = 30 * time.Second
	}
	if o.MaxChainIDs <= 0 {
		o.MaxChainIDs = DefaultMaxChainIDs
	}
	client, err := mongo.Connect(options.Client().ApplyURI(o.URI))
	if err != nil {
		return nil, fmt.Errorf("mongo: connect: %w", err)
	}
	s := &Store{client: client, db: client.Database(o.Database), maxChain: o.MaxChainIDs}
	s.versions = s.db.Collection(collVersions)
	s.resources = s.db.Collection(collResources)
	octx, cancel := context.WithTimeout(ctx, o.ConnectTimeout)
	defer cancel()
	if err := s.setUp(octx, o); err != nil {
		_ = client.Disconnect(ctx)
		return nil, err
	}
	return s, nil
}

func (s *Store) setUp(ctx context.Context, o Options) error {
	if err := s.client.Ping(ctx, readpref.Primary()); err != nil {
		return fmt.Errorf("mongo: ping: %w", err)
	}
	if !o.NoTransactions {
		tx, err := s.supportsTransactions(ctx)
		if err != nil {
			return err
		}
		s.caps.Transactions = tx
	}
	if err := s.createIndexes(ctx); err != nil {
		return err
	}
	if err := s.Repair(ctx); err != nil {
		return err
	}
	return nil
}

// supportsTransactions asks the server whether it is a replica set member or a mongos.
func (s *Store) supportsTransactions(ctx context.Context) (bool, error) {
	var hello struct {
		SetName string `bson:"setName"`
		Msg     string `bson:"msg"`
	}
	err := s.client.Database("admin").RunCommand(ctx, bson.D{{Key: "hello", Value: 1}}).Decode(&hello)
	if err != nil {
		return false, fmt.Errorf("mongo: hello: %w", err)
	}
	return hello.SetName != "" || hello.Msg == "isdbgrid", nil
}

func idx(name string, unique bool, keys ...bson.E) mongo.IndexModel {
	o := options.Index().SetName(name)
	if unique {
		o.SetUnique(true)
	}
	return mongo.IndexModel{Keys: bson.D(keys), Options: o}
}

func asc(f string) bson.E  { return bson.E{Key: f, Value: 1} }
func desc(f string) bson.E { return bson.E{Key: f, Value: -1} }

func (s *Store) createIndexes(ctx context.Context) error {
	pend := options.Index().SetName("pend").SetSparse(true)
	vers := []mongo.IndexModel{
		idx("type_id_v", true, asc("type"), asc("id"), asc("v")),
		idx("seq", true, desc("seq")),
		idx("type_seq", false, asc("type"), desc("seq")),
		idx("lu", false, asc("lu")),
		{Keys: bson.D{asc("pend")}, Options: pend},
	}
	res := []mongo.IndexModel{
		idx("type_id", true, asc("type"), asc("id")),
		idx("type_lu", false, asc("type"), asc("lu")),
		idx("type_seq", false, asc("type"), asc("seq")), // samples of _total=estimate (search_estimate.go)
	}
	for _, f := range []string{fTok, fStr, fRef, fURI, fHas} {
		res = append(res, idx("type_"+f, false, asc("type"), asc(f)))
	}
	if _, err := s.versions.Indexes().CreateMany(ctx, vers); err != nil {
		return fmt.Errorf("mongo: indexes of %s: %w", collVersions, err)
	}
	if _, err := s.resources.Indexes().CreateMany(ctx, res); err != nil {
		return fmt.Errorf("mongo: indexes of %s: %w", collResources, err)
	}
	return s.createValueIndexes(ctx)
}

// createValueIndexes indexes the per-parameter numeric values (dlo.<param>...) with wildcard
// indexes: compound with type on MongoDB 7+, plain on older servers. FerretDB, which uses no
// index anyway and has no wildcard indexes, gets none.
func (s *Store) createValueIndexes(ctx context.Context) error {
	var info bson.M
	if err := s.db.RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info); err != nil {
		return fmt.Errorf("mongo: buildInfo: %w", err)
	}
	if _, ferret := info["ferretdbVersion"]; ferret {
		return nil
	}
	for _, f := range []string{fDLo, fDHi, fNum, fLat} {
		_, err := s.resources.Indexes().CreateOne(ctx, idx("type_"+f, false, asc("type"), asc(f+".$**")))
		if err != nil {
			_, err = s.resources.Indexes().CreateOne(ctx, idx(f, false, asc(f+".$**")))
		}
		if err != nil {
			return fmt.Errorf("mongo: wildcard index on %s: %w", f, err)
		}
	}
	return nil
}

// Capabilities says whether PutMany is all-or-nothing (replica set or mongos, not FerretDB).
func (s *Store) Capabilities() store.Capabilities { return s.caps }

// Ping checks the primary answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx, readpref.Primary()); err != nil {
		return fmt.Errorf("mongo: ping: %w", err)
	}
	return nil
}

// Close disconnects.
func (s *Store) Close(ctx context.Context) error {
	if err := s.client.Disconnect(ctx); err != nil {
		return fmt.Errorf("mongo: close: %w", err)
	}
	return nil
}
