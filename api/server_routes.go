package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/internal/auth"
)

// route is one FHIR endpoint: its interaction (for the access decision) and whether its path
// names a resource type.
type route struct {
	method      string
	path        string
	interaction auth.Interaction
	typed       bool
	handle      func(s *server, c echo.Context, typ string) error
}

// fhirRoutes lists every FHIR endpoint: the one place where URLs meet handlers.
func fhirRoutes() []route {
	return []route{
		{http.MethodGet, "/fhir/metadata", auth.Capabilities, false, (*server).metadata},
		{http.MethodPost, "/fhir", auth.Transaction, false, (*server).bundle},
		{http.MethodPost, "/fhir/", auth.Transaction, false, (*server).bundle},
		{http.MethodGet, "/fhir/_history", auth.History, false, (*server).history},
		{http.MethodGet, "/fhir/SearchParameter", auth.Capabilities, false, (*server).searchParameterSearch},
		{http.MethodGet, "/fhir/SearchParameter/:id", auth.Capabilities, false, (*server).searchParameterRead},
		{http.MethodGet, "/fhir/StructureDefinition", auth.Capabilities, false, (*server).structureDefinitionSearch},
		{http.MethodGet, "/fhir/StructureDefinition/:id", auth.Capabilities, false, (*server).structureDefinitionRead},
		{http.MethodPost, "/fhir/StructureDefinition", auth.Create, false, (*server).readOnlyConformance},
		{http.MethodPut, "/fhir/StructureDefinition/:id", auth.Update, false, (*server).readOnlyConformance},
		{http.MethodDelete, "/fhir/StructureDefinition/:id", auth.Delete, false, (*server).readOnlyConformance},
		{http.MethodPatch, "/fhir/StructureDefinition/:id", auth.Patch, false, (*server).readOnlyConformance},
		{http.MethodPost, "/fhir/SearchParameter", auth.Create, false, (*server).readOnlyConformance},
		{http.MethodPut, "/fhir/SearchParameter/:id", auth.Update, false, (*server).readOnlyConformance},
		{http.MethodDelete, "/fhir/SearchParameter/:id", auth.Delete, false, (*server).readOnlyConformance},
		{http.MethodPatch, "/fhir/SearchParameter/:id", auth.Patch, false, (*server).readOnlyConformance},
		{http.MethodPost, "/fhir/:type/$validate", auth.Operation, true, (*server).validate},
		{http.MethodPost, "/fhir/:type/:id/$validate", auth.Operation, true, (*server).validate},
		{http.MethodGet, "/fhir/:type/$validate-code", auth.Operation, true, (*server).validateCode},
		{http.MethodGet, "/fhir/:type/:id/$validate-code", auth.Operation, true, (*server).validateCode},
		{http.MethodGet, "/fhir/:type/$expand", auth.Operation, true, (*server).expand},
		{http.MethodGet, "/fhir/:type/:id/$expand", auth.Operation, true, (*server).expand},
		{http.MethodGet, "/fhir/:type", auth.Search, true, (*server).search},
		{http.MethodPost, "/fhir/:type", auth.Create, true, (*server).create},
		{http.MethodPost, "/fhir/:type/_search", auth.Search, true, (*server).search},
		{http.MethodGet, "/fhir/:type/_history", auth.History, true, (*server).history},
		{http.MethodGet, "/fhir/:type/:id", auth.Read, true, (*server).read},
		{http.MethodPut, "/fhir/:type/:id", auth.Update, true, (*server).update},
		{http.MethodPatch, "/fhir/:type/:id", auth.Patch, true, (*server).patch},
		{http.MethodDelete, "/fhir/:type/:id", auth.Delete, true, (*server).delete},
		{http.MethodGet, "/fhir/:type/:id/_history", auth.History, true, (*server).history},
		{http.MethodGet, "/fhir/:type/:id/_history/:vid", auth.VRead, true, (*server).vread},
	}
}

// routes binds every endpoint of the server.
func (s *server) routes(e *echo.Echo) {
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	for _, rt := range fhirRoutes() {
		e.Add(rt.method, rt.path, s.fhirHandler(rt))
		if rt.method == http.MethodGet {
			// HEAD answers the GET's status and headers (ETag, Last-Modified...); net/http drops
			// the body.
			e.Add(http.MethodHead, rt.path, s.fhirHandler(rt))
		}
	}
}

// fhirHandler runs what every FHIR endpoint needs before its handler: the resource type must be
// served (404), the answer format must be JSON (406), and the caller must be allowed (401/403).
func (s *server) fhirHandler(rt route) echo.HandlerFunc {
	return func(c echo.Context) error {
		typ := ""
		if rt.typed {
			typ = c.Param("type")
			if !s.svc.SupportsType(typ) {
				if typ == "metadata" || strings.HasPrefix(typ, "_") {
					// a system endpoint (metadata, _history) reached with another method
					return fherr.NotSupported(fherr.KindNotAllowed, "%s is not supported on /fhir/%s", rt.method, typ)
				}
				return unknownType(typ)
			}
		}
		if err := negotiate(c.Request()); err != nil {
			return err
		}
		if _, err := s.authz.Authorize(c.Request().Context(), auth.Request{
			Interaction: rt.interaction, Type: typ, Header: c.Request().Header,
		}); err != nil {
			return err
		}
		return rt.handle(s, c, typ)
	}
}

// unknownType is the 404 of a resource type the server does not serve.
func unknownType(typ string) error {
	return fherr.NotFound("resource type %q is not supported by this server", typ)
}
