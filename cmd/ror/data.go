package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/rorfhir/ror/internal/app"
	"github.com/rorfhir/ror/internal/config"
	"github.com/rorfhir/ror/internal/progress"
	"github.com/rorfhir/ror/internal/service"
	"github.com/rorfhir/ror/store"
)

// storeFlags registers the flags naming the store (as `ror serve` has them, with the same
// environment variables) and returns a function giving the configuration once parsed.
func storeFlags(fs *flag.FlagSet, env func(string) string) func() config.Config {
	def := config.Defaults()
	pick := func(name, fallback string) string {
		if v := env(name); v != "" {
			return v
		}
		return fallback
	}
	dataDir := fs.String("data-dir", pick("ROR_DATA_DIR", def.DataDir), "directory of the embedded store (env ROR_DATA_DIR)")
	uri := fs.String("mongodb-uri", pick("ROR_MONGODB_URI", ""), "MongoDB connection string; when set, writes to MongoDB (env ROR_MONGODB_URI)")
	db := fs.String("mongodb-database", pick("ROR_MONGODB_DATABASE", def.MongoDatabase), "MongoDB database name (env ROR_MONGODB_DATABASE)")
	return func() config.Config {
		c := def
		c.DataDir, c.MongoURI, c.MongoDatabase = *dataDir, *uri, *db
		return c
	}
}

// openWriter opens the store of cfg and the service over it (the API's write path and checks).
func openWriter(ctx context.Context, cfg config.Config) (store.Store, *service.Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	st, _, err := app.OpenStore(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	svc, err := app.NewService(st, cfg)
	if err != nil {
		_ = st.Close(ctx)
		return nil, nil, err
	}
	return st, svc, nil
}

// isTTY reports whether w is a terminal (for the progress display).
func isTTY(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && progress.IsTerminal(f)
}

func closeStore(st store.Store, stderr io.Writer) {
	if err := st.Close(context.Background()); err != nil {
		fmt.Fprintf(stderr, "closing the store: %v\n", err)
	}
}
