package main

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/rorfhir/ror/internal/app"
	"github.com/rorfhir/ror/internal/config"
)

// runServe runs the FHIR server until SIGINT/SIGTERM.
func runServe(ctx context.Context, args []string, env func(string) string, _, stderr io.Writer) error {
	cfg, err := config.Load(args, env, stderr)
	if err != nil {
		return err
	}
	log := app.NewLogger(cfg, stderr)
	a, err := app.Build(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer func() {
		if err := a.Close(context.Background()); err != nil {
			log.Error().Err(err).Msg("closing the store")
		}
	}()
	if cfg.Auth == "off" {
		log.Warn().Msg("authentication is off (--auth off): anyone reaching this server may read and write everything; use --auth jwt outside local use")
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Listen, err)
	}
	where := cfg.DataDir
	if a.Backend == "mongodb" {
		where = cfg.MongoDatabase
	}
	log.Info().Str("listen", ln.Addr().String()).Str("store", a.Backend).Str("data", where).Str("version", app.Version).
		Msgf("ror serving FHIR R4 at http://%s/fhir", ln.Addr())
	return a.Serve(ctx, ln, cfg.ShutdownTimeout)
}
