package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/rs/zerolog"

	"github.com/rorfhir/ror/api"
	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/internal/auth"
	"github.com/rorfhir/ror/internal/service"
	"github.com/rorfhir/ror/store"
)

// fakeAuth allows everything except tokens named in the Authorization header: "Bearer bad" (401),
// "Bearer forbidden" (403), "Bearer panic" (a panic, for the 500 path). It records each decision.
type fakeAuth struct {
	mu   sync.Mutex
	seen map[string]auth.Request // by X-Request-Id
}

func (a *fakeAuth) Authorize(ctx context.Context, r auth.Request) (auth.Principal, error) {
	a.mu.Lock()
	if a.seen == nil {
		a.seen = map[string]auth.Request{}
	}
	a.seen[r.Header.Get("X-Request-Id")] = r
	a.mu.Unlock()
	switch r.Header.Get("Authorization") {
	case "Bearer bad":
		return auth.Principal{}, fherr.Unauthorized("the token is not valid")
	case "Bearer forbidden":
		return auth.Principal{}, fherr.Forbidden("scope system/*.read does not allow %s", r.Interaction)
	case "Bearer panic":
		panic("authorizer exploded")
	}
	return auth.Principal{Subject: "test"}, nil
}

func (a *fakeAuth) request(id string) (auth.Request, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	r, ok := a.seen[id]
	return r, ok
}

// env is one running server over a fresh SQLite store.
type env struct {
	t    testing.TB
	srv  *httptest.Server
	auth *fakeAuth
	st   store.Store
	svc  *service.Service
	logs *syncBuffer
	vars map[string]string // captured values ({org}...) for scenario substitution
	base string            // FHIR base URL
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newEnv(t testing.TB, opts service.Options) *env {
	t.Helper()
	st := openStore(t)
	svc := service.New(st, newRegistry(), opts)
	logs := &syncBuffer{}
	fa := &fakeAuth{}
	e := api.New(svc, fa, api.Options{Logger: zerolog.New(logs), Version: "test"})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, auth: fa, st: st, svc: svc, logs: logs, vars: map[string]string{}, base: srv.URL + "/fhir"}
}

// response is a decoded answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("answer is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

// do sends one request; header values are given as "Name: value" pairs.
func (e *env) do(method, path string, body string, headers ...string) response {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(e.expand(body))
	}
	req, err := http.NewRequest(method, e.srv.URL+e.expand(path), rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/fhir+json")
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(e.expand(v)))
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

var varRE = regexp.MustCompile(`\{[a-z0-9_]+\}`)

// expand replaces {name} by captured values.
func (e *env) expand(s string) string {
	return varRE.ReplaceAllStringFunc(s, func(m string) string {
		if v, ok := e.vars[m[1:len(m)-1]]; ok {
			return v
		}
		return m
	})
}

// matchJSON checks that got contains want: objects by key (extra keys in got allowed), arrays
// element-wise with equal length, "*" matching any present value, and a string "~re" matching a
// regular expression. It returns the first difference.
func matchJSON(path string, want, got any) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: want an object, got %v", path, got)
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if w[k] == nil {
				if _, present := g[k]; present {
					return fmt.Sprintf("%s.%s: want absent, got %v", path, k, g[k])
				}
				continue
			}
			gv, present := g[k]
			if !present {
				return fmt.Sprintf("%s.%s: missing", path, k)
			}
			if d := matchJSON(path+"."+k, w[k], gv); d != "" {
				return d
			}
		}
		return ""
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: want %d elements, got %v", path, len(w), got)
		}
		for i := range w {
			if d := matchJSON(fmt.Sprintf("%s[%d]", path, i), w[i], g[i]); d != "" {
				return d
			}
		}
		return ""
	case string:
		if w == "*" {
			return ""
		}
		if re, ok := strings.CutPrefix(w, "~"); ok {
			if s, isStr := got.(string); isStr && regexp.MustCompile(re).MatchString(s) {
				return ""
			}
			return fmt.Sprintf("%s: %v does not match %s", path, got, re)
		}
	}
	if fmt.Sprint(want) != fmt.Sprint(got) {
		return fmt.Sprintf("%s: want %v, got %v", path, want, got)
	}
	return ""
}

// sharedDir locates ../shared relative to the repository root (the module's go.mod).
func sharedDir(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Dir(file)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("repository root (go.mod) not found above " + file)
		}
		dir = parent
	}
	shared := filepath.Join(filepath.Dir(dir), "shared")
	if _, err := os.Stat(shared); err != nil {
		t.Fatalf("reference data missing: %s not found (the tests need ../shared next to the repository, with ror-ig/examples): %v", shared, err)
	}
	return shared
}
