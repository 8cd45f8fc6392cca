package fherr

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrorMessageAndChain(t *testing.T) {
	cause := errors.New("disk full")
	e := Wrap(cause, KindInvalid, "value", "Organization.name", "expected a string, got %d", 3)
	if got, want := e.Error(), "Organization.name: expected a string, got 3: disk full"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	wrapped := fmt.Errorf("create: %w", e)
	got, ok := As(wrapped)
	if !ok || got != e {
		t.Fatalf("As did not find the *Error through %%w")
	}
	if !errors.Is(wrapped, cause) {
		t.Error("the cause is not reachable with errors.Is")
	}
	if is := got.Issues[0]; is.Severity != "error" || is.Code != "value" || len(is.Expression) != 1 {
		t.Errorf("issue = %+v", is)
	}
	if _, ok := As(errors.New("plain")); ok {
		t.Error("As found an *Error in a plain error")
	}
}

func TestConstructorsKinds(t *testing.T) {
	tests := []struct {
		err  *Error
		kind Kind
		code string
	}{
		{Invalid("", "", "x"), KindInvalid, "invalid"},
		{Invalid("too-long", "", "x"), KindInvalid, "too-long"},
		{NotFound("x"), KindNotFound, "not-found"},
		{Gone("x"), KindGone, "deleted"},
		{Conflict("x"), KindConflict, "conflict"},
		{Precondition("multiple-matches", "x"), KindPrecondition, "multiple-matches"},
		{Forbidden("x"), KindForbidden, "forbidden"},
		{Unauthorized("x"), KindUnauthorized, "login"},
		{NotSupported(KindNotAcceptable, "x"), KindNotAcceptable, "not-supported"},
		{Fault(errors.New("secret")), KindFault, "exception"},
	}
	for _, tt := range tests {
		if tt.err.Kind != tt.kind || tt.err.Issues[0].Code != tt.code {
			t.Errorf("%v: kind %v code %q, want %v %q", tt.err, tt.err.Kind, tt.err.Issues[0].Code, tt.kind, tt.code)
		}
	}
	if d := Fault(errors.New("secret")).Issues[0].Diagnostics; d != "internal server error" {
		t.Errorf("a fault shows %q to clients; the cause must stay hidden", d)
	}
	u := Unprocessable(Issue{Severity: "error", Code: "required"}, Issue{Severity: "warning", Code: "value"})
	if u.Kind != KindUnprocessable || len(u.Issues) != 2 {
		t.Errorf("Unprocessable = %+v", u)
	}
}
