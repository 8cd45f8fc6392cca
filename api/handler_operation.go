package api

import (
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/internal/service"
)

// validate: POST [base]/{type}/$validate and [base]/{type}/{id}/$validate, with the resource or a
// Parameters (resource, mode, profile) as body; mode and profile may also be in the URL. The
// answer is 200 with the OperationOutcome, whether the resource conforms or not.
func (s *server) validate(c echo.Context, typ string) error {
	r := c.Request()
	var body []byte
	if r.ContentLength != 0 {
		if err := checkContentType(r); err != nil {
			return err
		}
		b, err := io.ReadAll(io.LimitReader(r.Body, s.svc.MaxBodyBytes()+1))
		if err != nil {
			return fherr.Wrap(err, fherr.KindInvalid, "invalid", "", "the body could not be read")
		}
		body = b
	}
	issues, err := s.svc.Validate(r.Context(), service.ValidateRequest{
		Type: typ, ID: c.Param("id"), Body: body, Query: r.URL.Query(),
	})
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, contentTypeFHIR, outcomeJSON(issues, "validation successful: no issues found"))
}

// valueSetOperation checks that a terminology operation is called on ValueSet.
func valueSetOperation(typ, op string) error {
	if typ != "ValueSet" {
		return fherr.NotFound("operation %s is defined on ValueSet, not on %s", op, typ)
	}
	return nil
}

// validateCode: GET [base]/ValueSet/$validate-code?url=&system=&code=[&display=] and
// [base]/ValueSet/{id}/$validate-code?system=&code=, answering a Parameters (result, message,
// display).
func (s *server) validateCode(c echo.Context, typ string) error {
	if err := valueSetOperation(typ, "$validate-code"); err != nil {
		return err
	}
	r := c.Request()
	b, err := s.svc.ValidateCode(r.Context(), service.TerminologyRequest{ID: c.Param("id"), Params: r.URL.Query()})
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, contentTypeFHIR, b)
}

// expand: GET [base]/ValueSet/$expand?url=[&filter=&offset=&count=] and
// [base]/ValueSet/{id}/$expand, answering the ValueSet with its expansion.
func (s *server) expand(c echo.Context, typ string) error {
	if err := valueSetOperation(typ, "$expand"); err != nil {
		return err
	}
	r := c.Request()
	b, err := s.svc.Expand(r.Context(), service.TerminologyRequest{ID: c.Param("id"), Params: r.URL.Query()})
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, contentTypeFHIR, b)
}
