package mongotest

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// startFerretDB runs an embedded FerretDB (SQLite handler, data in t.TempDir()) on a random
// 127.0.0.1 port until t ends, and waits until it answers a ping.
func startFerretDB(t testing.TB) string {
	t.Helper()
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		Handler:   "sqlite",
		SQLiteURL: "file:" + t.TempDir() + "/",
	})
	if err != nil {
		t.Fatalf("mongotest: FerretDB: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	uri := f.MongoDBURI()
	if err := waitPing(uri, 30*time.Second); err != nil {
		t.Fatalf("mongotest: FerretDB at %s does not answer: %v", uri, err)
	}
	return uri
}

// waitPing retries a ping until the server answers or the time limit passes.
func waitPing(uri string, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	c, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		return err
	}
	defer func() { _ = c.Disconnect(ctx) }()
	for {
		err = c.Ping(ctx, nil)
		if err == nil || ctx.Err() != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(50 * time.Millisecond):
		}
	}
}
