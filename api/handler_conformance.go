package api

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/internal/service"
)

// structureDefinitionRead: GET [base]/StructureDefinition/{id}, generated from the profile
// definitions.
func (s *server) structureDefinitionRead(c echo.Context, _ string) error {
	b, err := s.svc.StructureDefinition(c.Param("id"))
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, contentTypeFHIR, b)
}

// structureDefinitionSearch: GET [base]/StructureDefinition?params, every match in one searchset.
func (s *server) structureDefinitionSearch(c echo.Context, _ string) error {
	r := c.Request()
	sds, issues, err := s.svc.StructureDefinitions(r.URL.Query(), service.SearchOptions{Strict: preferHandling(r) == "strict"})
	if err != nil {
		return err
	}
	base := s.fhirBase(r)
	w := bundleWriter{base: base}
	w.start("searchset", s.now(), len(sds), "self", base+"/StructureDefinition?"+r.URL.RawQuery)
	for _, b := range sds {
		var head struct{ ID string }
		_ = json.Unmarshal(b, &head)
		w.raw(base+"/StructureDefinition/"+head.ID, b, "match")
	}
	if len(issues) > 0 {
		w.outcome(outcomeJSON(issues, ""))
	}
	return c.Blob(http.StatusOK, contentTypeFHIR, w.bytes())
}

// readOnlyConformance answers the writes of the generated conformance resources
// (StructureDefinition, SearchParameter): 405.
func (s *server) readOnlyConformance(c echo.Context, _ string) error {
	return fherr.NotSupported(fherr.KindNotAllowed,
		"%s %s: the server's StructureDefinition and SearchParameter resources are generated from its definitions and read-only",
		c.Request().Method, c.Request().URL.Path)
}
