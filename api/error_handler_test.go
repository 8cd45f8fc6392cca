package api

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/store"
)

func TestToFHIRErrorStatus(t *testing.T) {
	cases := []struct {
		err    error
		status int
		code   string
	}{
		{fherr.Invalid("", "", "x"), 400, "invalid"},
		{fherr.Unauthorized("x"), 401, "login"},
		{fherr.Forbidden("x"), 403, "forbidden"},
		{fherr.NotFound("x"), 404, "not-found"},
		{fherr.NotSupported(fherr.KindNotAllowed, "x"), 405, "not-supported"},
		{fherr.NotSupported(fherr.KindNotAcceptable, "x"), 406, "not-supported"},
		{fherr.Conflict("x"), 409, "conflict"},
		{fherr.Gone("x"), 410, "deleted"},
		{fherr.Precondition("multiple-matches", "x"), 412, "multiple-matches"},
		{fherr.NotSupported(fherr.KindUnsupportedMedia, "x"), 415, "not-supported"},
		{fherr.Unprocessable(fherr.Issue{Severity: "error", Code: "business-rule"}), 422, "business-rule"},
		{fmt.Errorf("wrapped: %w", fherr.Gone("x")), 410, "deleted"},
		{fmt.Errorf("read: %w", store.ErrNotFound), 404, "not-found"},
		{fmt.Errorf("put: %w", store.ErrVersionConflict), 409, "conflict"},
		{fmt.Errorf("page: %w", store.ErrInvalidCursor), 400, "invalid"},
		{echo.ErrNotFound, 404, "not-found"},
		{echo.ErrMethodNotAllowed, 405, "not-supported"},
		{errors.New("disk on fire"), 500, "exception"},
	}
	for _, tc := range cases {
		fe := toFHIRError(tc.err)
		if got := statusOf(fe.Kind); got != tc.status || fe.Issues[0].Code != tc.code {
			t.Errorf("%v: status %d code %q, want %d %q", tc.err, got, fe.Issues[0].Code, tc.status, tc.code)
		}
	}
	if statusOf(fherr.KindFault) != http.StatusInternalServerError {
		t.Error("fault must be 500")
	}
}
