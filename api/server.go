// Package api is the HTTP face of the ror server: the FHIR R4 REST API under /fhir (Echo v4), the
// operational endpoints /healthz and /readyz, content negotiation (JSON only), the one error
// handler turning every failure into an OperationOutcome, request ids and one log line per
// request. Handlers stay thin: they bind the request, make one call to internal/service and
// encode the answer; resources are served as the stored bytes, never re-encoded.
//
// This package must not import a store backend (store/sqlite, store/mongo): it sees the store
// only through internal/service, which also owns query parsing and indexing (fhir/search is
// imported by tests only, to build a service).
package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/rs/zerolog"

	"github.com/rorfhir/ror/internal/auth"
	"github.com/rorfhir/ror/internal/service"
)

// Options configure the API.
type Options struct {
	// BaseURL is the public root URL of the server (e.g. "https://ror.example.fr"); the FHIR base
	// is BaseURL + "/fhir". Empty: taken from each request (scheme and Host).
	BaseURL string
	// Logger receives one line per request and the causes of 500s.
	Logger zerolog.Logger
	// Version is the software version shown in the CapabilityStatement.
	Version string
	// Now is the clock (default time.Now); tests pin it.
	Now func() time.Time
}

// server holds what the handlers share.
type server struct {
	svc        *service.Service
	authz      auth.Authorizer
	log        zerolog.Logger
	baseURL    string // without trailing slash; "" = from the request
	now        func() time.Time
	capability []byte // the CapabilityStatement, built once
	ids        *requestIDs
}

// New returns the HTTP handler of the server (an *echo.Echo: use it as an http.Handler, or Start
// and Shutdown it). Every route is authorized by authz before its handler runs.
func New(svc *service.Service, authz auth.Authorizer, opts Options) *echo.Echo {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &server{
		svc:     svc,
		authz:   authz,
		log:     opts.Logger,
		baseURL: strings.TrimRight(opts.BaseURL, "/"),
		now:     opts.Now,
		ids:     newRequestIDs(),
	}
	s.capability = buildCapabilityStatement(svc, opts.Version, s.now())
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	e.Use(s.middleware)
	s.routes(e)
	return e
}

// fhirBase is the absolute FHIR base URL for links ("<root>/fhir").
func (s *server) fhirBase(r *http.Request) string {
	if s.baseURL != "" {
		return s.baseURL + "/fhir"
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/fhir"
}

// readyz answers 200 when the store answers, 503 otherwise.
func (s *server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.svc.Ping(ctx); err != nil {
		s.log.Warn().Err(err).Msg("readiness check failed")
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

// healthz answers 200 while the process runs.
func (s *server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "alive"})
}
