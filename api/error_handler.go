package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/internal/service"
	"github.com/rorfhir/ror/store"
)

// statusOf maps an error kind to its HTTP status: the one place where it is decided.
func statusOf(k fherr.Kind) int {
	switch k {
	case fherr.KindInvalid, fherr.KindTooCostly:
		return http.StatusBadRequest
	case fherr.KindUnauthorized:
		return http.StatusUnauthorized
	case fherr.KindForbidden:
		return http.StatusForbidden
	case fherr.KindNotFound:
		return http.StatusNotFound
	case fherr.KindNotAllowed:
		return http.StatusMethodNotAllowed
	case fherr.KindNotAcceptable:
		return http.StatusNotAcceptable
	case fherr.KindConflict:
		return http.StatusConflict
	case fherr.KindGone:
		return http.StatusGone
	case fherr.KindPrecondition:
		return http.StatusPreconditionFailed
	case fherr.KindTooLarge:
		return http.StatusRequestEntityTooLarge
	case fherr.KindUnsupportedMedia:
		return http.StatusUnsupportedMediaType
	case fherr.KindUnprocessable:
		return http.StatusUnprocessableEntity
	case fherr.KindNotImplemented:
		return http.StatusNotImplemented
	}
	return http.StatusInternalServerError
}

// toFHIRError turns any error reaching the handler into an *fherr.Error: fherr errors as they
// are, store sentinels by meaning, Echo's own errors (unknown route 404, wrong method 405, ...)
// by status, anything else a 500 fault.
func toFHIRError(err error) *fherr.Error {
	if fe, ok := fherr.As(err); ok {
		return fe
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		switch he.Code {
		case http.StatusNotFound:
			return fherr.Wrap(err, fherr.KindNotFound, "not-found", "", "no FHIR endpoint at this URL")
		case http.StatusMethodNotAllowed:
			return fherr.Wrap(err, fherr.KindNotAllowed, "not-supported", "", "this interaction is not supported on this URL")
		case http.StatusRequestEntityTooLarge:
			return fherr.Wrap(err, fherr.KindInvalid, "too-long", "", "the body is too large")
		case http.StatusUnauthorized:
			return fherr.Wrap(err, fherr.KindUnauthorized, "login", "", "authentication required")
		case http.StatusForbidden:
			return fherr.Wrap(err, fherr.KindForbidden, "forbidden", "", "forbidden")
		case http.StatusUnsupportedMediaType:
			return fherr.Wrap(err, fherr.KindUnsupportedMedia, "not-supported", "", "unsupported media type")
		case http.StatusBadRequest:
			return fherr.Wrap(err, fherr.KindInvalid, "invalid", "", "bad request")
		}
		return fherr.Fault(err)
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return fherr.Wrap(err, fherr.KindNotFound, "not-found", "", "not found")
	case errors.Is(err, store.ErrVersionConflict):
		return fherr.Wrap(err, fherr.KindConflict, "conflict", "", "the resource was changed by another request")
	case errors.Is(err, store.ErrInvalidCursor):
		return fherr.Wrap(err, fherr.KindInvalid, "invalid", "", "invalid paging cursor")
	case errors.Is(err, store.ErrUnsupported):
		return fherr.Wrap(err, fherr.KindNotImplemented, "not-supported", "", "not supported by the store")
	}
	return fherr.Fault(err)
}

// failure is the answer to an error, for a request (handleError) or an entry of a batch or
// transaction (answerEntry): its status, its OperationOutcome, and the version of a deleted
// resource (410: its ETag and Last-Modified are answered too).
type failure struct {
	status    int
	outcome   []byte
	tombstone store.Version
}

func failureOf(err error) failure {
	fe := toFHIRError(err)
	f := failure{status: statusOf(fe.Kind), outcome: outcomeJSON(fe.Issues, "")}
	f.tombstone, _ = service.Tombstone(err)
	return f
}

// handleError is Echo's HTTPErrorHandler: every failure becomes an OperationOutcome with the
// status of its kind. Causes of 500s are logged (by the request log line), never shown.
func (s *server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	f := failureOf(err)
	status := f.status
	if status >= 500 {
		c.Set(ctxKeyCause, err)
	}
	if errors.Is(err, context.Canceled) {
		status = 499 // client went away; nobody reads this answer
	}
	h := c.Response().Header()
	if status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer realm="ror"`) // RFC 6750: how to authenticate
	}
	if f.tombstone.VersionID > 0 {
		h.Set("ETag", etag(f.tombstone.VersionID))
		h.Set("Last-Modified", f.tombstone.LastUpdated.UTC().Format(http.TimeFormat))
	}
	body := f.outcome
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	_ = c.Blob(status, contentTypeFHIR, body)
}
