package integration

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/rorfhir/ror/internal/app"
	"github.com/rorfhir/ror/internal/auth"
	"github.com/rorfhir/ror/internal/config"
)

// jwtServer runs the server as `ror serve --auth jwt` builds it, on a fresh embedded store, and
// returns it with a function minting tokens of the given (space-separated) scopes.
func jwtServer(t *testing.T) (*httptest.Server, func(scopes string) string) {
	t.Helper()
	const secret = "integration-secret-of-at-least-32-bytes"
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	cfg.Auth = "jwt"
	cfg.JWTSecret = secret
	a, err := app.Build(context.Background(), cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close(context.Background()) })
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	mint := func(scopes string) string {
		tok, err := auth.Mint(auth.MintOptions{Subject: "it", Scopes: strings.Fields(scopes), TTL: time.Hour, Secret: []byte(secret)}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	return srv, mint
}

// The server as `ror serve --auth jwt` builds it: real JWT checks, SMART scopes per interaction.
func TestJWTAccessThroughTheServer(t *testing.T) {
	srv, mint := jwtServer(t)
	reader, writer := mint("system/*.rs"), mint("system/Organization.cud system/Organization.rs")
	org := `{"resourceType":"Organization","id":"jwt-org","name":"JWT"}`

	tests := []struct {
		name, method, path, token, body string
		status                          int
		code                            string // OperationOutcome issue code expected, if any
	}{
		{"metadata is public", "GET", "/fhir/metadata", "", "", 200, ""},
		{"no token", "GET", "/fhir/Organization/jwt-org", "", "", 401, "login"},
		{"garbage token", "GET", "/fhir/Organization?_count=1", "not-a-jwt", "", 401, "login"},
		{"read scope cannot write", "PUT", "/fhir/Organization/jwt-org", reader, org, 403, "forbidden"},
		{"write scope creates", "PUT", "/fhir/Organization/jwt-org", writer, org, 201, ""},
		{"read scope reads", "GET", "/fhir/Organization/jwt-org", reader, "", 200, ""},
		{"read scope searches", "GET", "/fhir/Organization?_id=jwt-org", reader, "", 200, ""},
		{"type-scoped token on another type", "GET", "/fhir/Location?_count=1", writer, "", 403, "forbidden"},
		{"system history needs a wildcard scope", "GET", "/fhir/_history", writer, "", 403, "forbidden"},
		{"system history with wildcard", "GET", "/fhir/_history", reader, "", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/fhir+json")
			}
			if tt.token != "" {
				req.Header.Set("Authorization", "Bearer "+tt.token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			r := response{status: resp.StatusCode, header: resp.Header}
			r.body, _ = io.ReadAll(resp.Body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.status == 401 && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("401 without WWW-Authenticate: Bearer (got %q)", resp.Header.Get("WWW-Authenticate"))
			}
			if tt.code != "" {
				m := r.json(t)
				issues, _ := m["issue"].([]any)
				if m["resourceType"] != "OperationOutcome" || len(issues) == 0 || issues[0].(map[string]any)["code"] != tt.code {
					t.Errorf("want an OperationOutcome with code %q, got %s", tt.code, r.body)
				}
			}
		})
	}
}
