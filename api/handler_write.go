package api

import (
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/internal/service"
)

// create: POST [base]/{type}, conditional with If-None-Exist.
func (s *server) create(c echo.Context, typ string) error {
	body, err := s.readBody(c)
	if err != nil {
		return err
	}
	res, err := s.svc.Create(c.Request().Context(), typ, body, service.CreateOptions{
		IfNoneExist: c.Request().Header.Get("If-None-Exist"),
	})
	if err != nil {
		return err
	}
	return s.sendWrite(c, res, writeStatus(res))
}

// writeStatus is 201 when the write brought a resource into existence, else 200.
func writeStatus(res service.WriteResult) int {
	if res.Created {
		return http.StatusCreated
	}
	return http.StatusOK
}

// update: PUT [base]/{type}/{id}, update as create, If-Match.
func (s *server) update(c echo.Context, typ string) error {
	im, err := ifMatch(c.Request())
	if err != nil {
		return err
	}
	body, err := s.readBody(c)
	if err != nil {
		return err
	}
	res, err := s.svc.Update(c.Request().Context(), typ, c.Param("id"), body, service.UpdateOptions{IfMatch: im})
	if err != nil {
		return err
	}
	return s.sendWrite(c, res, writeStatus(res))
}

// delete: DELETE [base]/{type}/{id}. 204, or 200 with an OperationOutcome when the client
// prefers one; deleting a missing or already deleted resource also succeeds (nothing changes).
func (s *server) delete(c echo.Context, typ string) error {
	im, err := ifMatch(c.Request())
	if err != nil {
		return err
	}
	id := c.Param("id")
	res, err := s.svc.Delete(c.Request().Context(), typ, id, service.UpdateOptions{IfMatch: im})
	if err != nil {
		return err
	}
	if res.Version.VersionID > 0 {
		c.Response().Header().Set("ETag", etag(res.Version.VersionID))
	}
	if preferReturn(c.Request()) == "OperationOutcome" {
		return c.Blob(http.StatusOK, contentTypeFHIR, deleteOutcome(typ, id, res))
	}
	return c.NoContent(http.StatusNoContent)
}

// deleteOutcome is the OperationOutcome of a delete of typ/id.
func deleteOutcome(typ, id string, res service.WriteResult) []byte {
	msg := typ + "/" + id + " deleted"
	if !res.Changed {
		msg = typ + "/" + id + " did not exist or was already deleted: nothing changed"
	}
	return outcomeJSON(res.Warnings, msg)
}

// readBody checks the Content-Type (JSON) and reads the body.
func (s *server) readBody(c echo.Context) ([]byte, error) {
	if err := checkContentType(c.Request()); err != nil {
		return nil, err
	}
	return s.readLimited(c)
}

// readLimited reads the body, at most one byte over the service's limit (the service answers
// too-long).
func (s *server) readLimited(c echo.Context) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, s.svc.MaxBodyBytes()+1))
	if err != nil {
		return nil, fherr.Wrap(err, fherr.KindInvalid, "invalid", "", "the body could not be read")
	}
	return body, nil
}

// sendWrite answers a create or update: Location, ETag, Last-Modified, and the body the client
// prefers (Prefer: return=minimal | representation (default) | OperationOutcome).
func (s *server) sendWrite(c echo.Context, res service.WriteResult, status int) error {
	v := res.Version
	h := c.Response().Header()
	h.Set("Location", s.fhirBase(c.Request())+"/"+v.Type+"/"+v.ID+"/_history/"+strconv.FormatInt(v.VersionID, 10))
	h.Set("ETag", etag(v.VersionID))
	h.Set("Last-Modified", v.LastUpdated.UTC().Format(http.TimeFormat))
	switch preferReturn(c.Request()) {
	case "minimal":
		return c.NoContent(status)
	case "OperationOutcome":
		return c.Blob(status, contentTypeFHIR, writeOutcome(res))
	}
	return c.Blob(status, contentTypeFHIR, v.Body)
}

// writeOutcome is the OperationOutcome of a create, update or patch: its warnings and what was
// done.
func writeOutcome(res service.WriteResult) []byte {
	v := res.Version
	msg := v.Type + "/" + v.ID + " version " + strconv.FormatInt(v.VersionID, 10)
	switch {
	case res.Created:
		msg += " created"
	case res.Changed:
		msg += " updated"
	default:
		msg += " already exists (If-None-Exist): nothing created"
	}
	issues := append(slices.Clip(res.Warnings), fherr.Issue{Severity: "information", Code: "informational", Diagnostics: msg})
	return outcomeJSON(issues, "")
}

// preferReturn is the return= value of the Prefer header ("" when absent).
func preferReturn(r *http.Request) string { return prefer(r, "return") }

// preferHandling is the handling= value of the Prefer header (strict | lenient | "").
func preferHandling(r *http.Request) string { return prefer(r, "handling") }

// prefer returns the value of one Prefer preference ("" when absent).
func prefer(r *http.Request, key string) string {
	for _, p := range r.Header.Values("Prefer") {
		for _, part := range strings.FieldsFunc(p, func(r rune) bool { return r == ',' || r == ';' }) {
			k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), key) {
				return strings.Trim(strings.TrimSpace(v), `"`)
			}
		}
	}
	return ""
}

// ifMatch reads If-Match: W/"n" (or "n"); 0 when absent.
func ifMatch(r *http.Request) (int64, error) { return service.ParseIfMatch(r.Header.Get("If-Match")) }
