// Package app is the composition root of the ror server: from a config.Config it opens the store,
// builds the search registry, the service with its write checks, the authorizer and the HTTP API,
// and runs them with a graceful shutdown. Only this package and cmd import store backends.
package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/rorfhir/ror/api"
	"github.com/rorfhir/ror/fhir/search"
	"github.com/rorfhir/ror/internal/auth"
	"github.com/rorfhir/ror/internal/config"
	"github.com/rorfhir/ror/internal/finess"
	"github.com/rorfhir/ror/internal/service"
	"github.com/rorfhir/ror/profiles"
	"github.com/rorfhir/ror/profiles/terminology"
	"github.com/rorfhir/ror/store"
)

// Version is the software version reported by the server.
const Version = "0.1.0"

// App is a built server: its store, service and HTTP handler.
type App struct {
	Store   store.Store
	Backend string // "sqlite" or "mongodb"
	Service *service.Service
	Handler http.Handler
	log     zerolog.Logger
}

// Build opens the store named by cfg and assembles the server on it.
func Build(ctx context.Context, cfg config.Config, log zerolog.Logger) (*App, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	authz, err := NewAuthorizer(cfg)
	if err != nil {
		return nil, err
	}
	st, backend, err := OpenStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	svc, err := NewService(st, cfg)
	if err != nil {
		_ = st.Close(ctx)
		return nil, err
	}
	h := api.New(svc, authz, api.Options{BaseURL: cfg.BaseURL, Logger: log, Version: Version})
	return &App{Store: st, Backend: backend, Service: svc, Handler: h, log: log}, nil
}

// NewService builds the service with the server's search registry and its write checks, in
// order: FINESS-owned elements (only the FINESS import may change them), then the ROR profiles.
// The profile validator checks bindings against the ValueSet and CodeSystem resources stored:
// a terminology cache over the store, invalidated by the service's own writes of these types
// (and reloaded at most a minute later after another instance's writes, on MongoDB).
func NewService(st store.Store, cfg config.Config) (*service.Service, error) {
	defs, err := profiles.LoadDefinitions()
	if err != nil {
		return nil, fmt.Errorf("load ROR profile definitions: %w", err)
	}
	var copts terminology.CacheOptions
	if cfg.MongoURI != "" {
		copts.MaxAge = time.Minute
	}
	term := terminology.NewCache(storeTerminology{st: st}, copts)
	validator, err := profiles.NewValidator(defs, term, profiles.Options{
		RequireProfiles:   cfg.RequireProfiles,
		StrictTerminology: cfg.StrictTerminology,
	})
	if err != nil {
		return nil, fmt.Errorf("build the profile validator: %w", err)
	}
	ps, err := newProfileService(validator)
	if err != nil {
		return nil, err
	}
	reg := search.Default()
	if cfg.BaseURL != "" {
		// Absolute references on this server's own base index as local Type/id references.
		reg = reg.WithBaseURL(strings.TrimRight(cfg.BaseURL, "/") + "/fhir")
	}
	return service.New(invalidatingStore{Store: st, cache: term}, reg, service.Options{
		MaxBodyBytes:     cfg.MaxBodyBytes,
		DefaultCount:     cfg.DefaultCount,
		MaxCount:         cfg.MaxCount,
		MaxBundleEntries: cfg.MaxBundleEntries,
		Checks:           []service.Check{finess.Guard{}, validator},
		Profiles:         ps,
		Terminology:      term,
	}), nil
}

// NewAuthorizer builds the access decision named by cfg.Auth.
func NewAuthorizer(cfg config.Config) (auth.Authorizer, error) {
	if cfg.Auth != "jwt" {
		return auth.Off{}, nil
	}
	a, err := auth.NewJWT(auth.JWTOptions{
		Secret: []byte(cfg.JWTSecret), KeyFile: cfg.JWTKeyFile,
		Issuer: cfg.JWTIssuer, Audience: cfg.JWTAudience, Leeway: 30 * time.Second,
	})
	if err != nil {
		return nil, fmt.Errorf("--auth jwt: %w", err)
	}
	return a, nil
}

// Close releases the store.
func (a *App) Close(ctx context.Context) error { return a.Store.Close(ctx) }

// Serve runs the HTTP server on ln until ctx is cancelled, then stops accepting connections and
// lets in-flight requests finish within grace.
func (a *App) Serve(ctx context.Context, ln net.Listener, grace time.Duration) error {
	srv := &http.Server{
		Handler:           a.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	a.log.Info().Dur("grace", grace).Msg("shutting down: waiting for in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("graceful shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http server: %w", err)
	}
	return nil
}
