package conformance

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"

	"github.com/rorfhir/ror/api"
	"github.com/rorfhir/ror/fhir/search"
	"github.com/rorfhir/ror/internal/auth"
	"github.com/rorfhir/ror/internal/service"
	"github.com/rorfhir/ror/profiles"
	"github.com/rorfhir/ror/profiles/terminology"
	"github.com/rorfhir/ror/store/sqlite"
)

// startServer runs the real server in-process on a real listener (127.0.0.1, a free port): the
// Echo API over the service, the embedded SQLite store in a temporary directory, the R4 search
// registry, ROR profile validation with the NOS value sets loaded, and authentication off. It
// returns the FHIR base URL; everything stops when the test ends.
func startServer(t *testing.T, shared string) string {
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
	validator, err := profiles.NewValidator(defs, term, profiles.Options{})
	if err != nil {
		t.Fatalf("compile the ROR profiles: %v", err)
	}
	svc := service.New(st, search.Default(), service.Options{Checks: []service.Check{validator}})
	h := api.New(svc, auth.Off{}, api.Options{Logger: zerolog.Nop(), Version: "conformance"})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + "/fhir"
}
