package conformance

import (
	"context"
	"io"
	"net/http/httptest"
	"testing"

	"github.com/rs/zerolog"

	"github.com/rorfhir/ror/internal/app"
	"github.com/rorfhir/ror/internal/config"
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
