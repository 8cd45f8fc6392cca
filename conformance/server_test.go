package conformance

import (
	"context"
	"io"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"

	"github.com/rorfhir/ror/api"
	"github.com/rorfhir/ror/fhir/search"
	"github.com/rorfhir/ror/internal/app"
	"github.com/rorfhir/ror/internal/auth"
	"github.com/rorfhir/ror/internal/config"
	"github.com/rorfhir/ror/internal/service"
	"github.com/rorfhir/ror/profiles"
	"github.com/rorfhir/ror/profiles/terminology"
	"github.com/rorfhir/ror/store/sqlite"
)

// startServer runs the real server in-process on a real listener (127.0.0.1, a free port), built
// by the composition root exactly as `ror serve --data-dir DIR` builds it: the embedded SQLite
// store in a temporary directory, authentication off (the default). It returns the FHIR base URL;
// everything stops when the test ends.
func startServer(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	noEnv := func(string) string { return "" }
	cfg, err := config.Load([]string{"--data-dir", t.TempDir(), "--log-level", "error"}, noEnv, io.Discard)
	if err != nil {
		t.Fatalf("configure the server: %v", err)
	}
	a, err := app.Build(ctx, cfg, zerolog.Nop())
	if err != nil {
		t.Fatalf("build the server: %v", err)
	}
	t.Cleanup(func() { _ = a.Close(context.Background()) })
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	return srv.URL + "/fhir"
}

// startProfiledServer runs a second server composed by hand with the ROR profile validation as a
// write check (profiles.Validator over the NOS value sets), for the 422 answers when the server
// built by internal/app does not validate profiles yet.
func startProfiledServer(t *testing.T, shared string) string {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(t.TempDir(), "ror.db")})
	if err != nil {
		t.Fatalf("open the embedded store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close(context.Background()) })
	defs, err := profiles.LoadDefinitions()
	if err != nil {
		t.Fatalf("load the ROR profiles: %v", err)
	}
	term, err := terminology.Load(ctx, terminology.DirSource{
		filepath.Join(shared, "nos", "fhir", "ValueSet"),
		filepath.Join(shared, "nos", "fhir", "CodeSystem"),
	})
	if err != nil {
		t.Fatalf("load the NOS value sets: %v", err)
	}
	v, err := profiles.NewValidator(defs, term, profiles.Options{})
	if err != nil {
		t.Fatalf("compile the ROR profiles: %v", err)
	}
	svc := service.New(st, search.Default(), service.Options{Checks: []service.Check{v}})
	srv := httptest.NewServer(api.New(svc, auth.Off{}, api.Options{Logger: zerolog.Nop(), Version: app.Version}))
	t.Cleanup(srv.Close)
	return srv.URL + "/fhir"
}
