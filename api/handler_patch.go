package api

import (
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/internal/service"
)

// patch: PATCH [base]/{type}/{id} with a JSON Patch document (RFC 6902), If-Match. The answer is
// the one of an update (200, Location, ETag, Last-Modified, Prefer return=...).
func (s *server) patch(c echo.Context, typ string) error {
	if err := checkPatchContentType(c.Request()); err != nil {
		return err
	}
	im, err := ifMatch(c.Request())
	if err != nil {
		return err
	}
	body, err := s.readLimited(c)
	if err != nil {
		return err
	}
	res, err := s.svc.Patch(c.Request().Context(), typ, c.Param("id"), body, service.UpdateOptions{IfMatch: im})
	if err != nil {
		return err
	}
	return s.sendWrite(c, res, http.StatusOK)
}

// patchFormats says, in 415 answers and in the CapabilityStatement, what PATCH accepts.
const patchFormats = "PATCH accepts a JSON Patch document (RFC 6902) sent as " + service.ContentTypeJSONPatch +
	"; FHIRPath Patch (a Parameters resource) is not supported by this server"

// checkPatchContentType accepts application/json-patch+json only (415 otherwise).
func checkPatchContentType(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err == nil && mt == service.ContentTypeJSONPatch {
		return nil
	}
	if ct == "" {
		return fherr.NotSupported(fherr.KindUnsupportedMedia, "the request has no Content-Type: %s", patchFormats)
	}
	return fherr.NotSupported(fherr.KindUnsupportedMedia, "Content-Type %q is not supported: %s", ct, patchFormats)
}
