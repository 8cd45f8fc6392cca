package app

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/rorfhir/ror/internal/config"
	"github.com/rorfhir/ror/store"
	"github.com/rorfhir/ror/store/mongo"
	"github.com/rorfhir/ror/store/sqlite"
)

// OpenStore opens the backend the configuration names: MongoDB when a URI is given (creating its
// indexes, idempotently), else the embedded SQLite store in the data directory, which one process
// at a time may hold (sqlite.ErrInUse otherwise).
func OpenStore(ctx context.Context, cfg config.Config) (store.Store, string, error) {
	if cfg.MongoURI != "" {
		st, err := mongo.Open(ctx, mongo.Options{URI: cfg.MongoURI, Database: cfg.MongoDatabase})
		if err != nil {
			return nil, "", fmt.Errorf("open MongoDB store: %w", err)
		}
		return st, "mongodb", nil
	}
	path := filepath.Join(cfg.DataDir, "ror.db")
	st, err := sqlite.Open(ctx, sqlite.Options{Path: path})
	if err != nil {
		return nil, "", fmt.Errorf("open embedded store %s: %w", path, err)
	}
	return st, "sqlite", nil
}
