// Package fherr is the server's one error vocabulary: every failure a client can see is an *Error
// of one Kind carrying OperationOutcome issues. The HTTP layer maps Kind to a status code in one
// place (api); everything else only builds errors with the constructors here and wraps causes
// with %w.
//
// This package must not import any other package of the project.
package fherr

import (
	"errors"
	"fmt"
)

// Kind classifies an error; it decides the HTTP status.
type Kind int

// Kinds, with the HTTP status the API gives them.
const (
	KindFault            Kind = iota // 500
	KindInvalid                      // 400: malformed request or body
	KindUnauthorized                 // 401: no or bad credentials
	KindForbidden                    // 403: credentials lack the right
	KindNotFound                     // 404
	KindNotAllowed                   // 405: interaction not supported on this endpoint
	KindNotAcceptable                // 406: Accept/_format asks for something other than JSON
	KindConflict                     // 409: version conflict without If-Match, duplicate
	KindGone                         // 410: deleted
	KindPrecondition                 // 412: If-Match failed, multiple matches of a conditional
	KindTooLarge                     // 413: body over the size limit
	KindUnsupportedMedia             // 415: Content-Type not JSON
	KindUnprocessable                // 422: valid JSON, but breaks a profile or business rule
	KindTooCostly                    // 400: a search or operation over the server's bounds (too-costly)
	KindNotImplemented               // 501
)

// Issue is one OperationOutcome issue.
type Issue struct {
	Severity    string   // fatal | error | warning | information
	Code        string   // FHIR issue-type code: invalid, structure, required, value, not-found, ...
	Diagnostics string   // plain words: what is wrong and what was expected
	Expression  []string // FHIRPath of the element(s) concerned
}

// Error is a client-visible failure.
type Error struct {
	Kind   Kind
	Issues []Issue
	Err    error // the cause, if any (not shown to clients for KindFault)
}

func (e *Error) Error() string {
	msg := ""
	if len(e.Issues) > 0 {
		msg = e.Issues[0].Diagnostics
		if len(e.Issues[0].Expression) > 0 {
			msg = e.Issues[0].Expression[0] + ": " + msg
		}
	}
	if e.Err != nil {
		if msg == "" {
			return e.Err.Error()
		}
		return msg + ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// New builds an error of one kind with one issue (severity error).
func New(kind Kind, code, expression, format string, args ...any) *Error {
	is := Issue{Severity: "error", Code: code, Diagnostics: fmt.Sprintf(format, args...)}
	if expression != "" {
		is.Expression = []string{expression}
	}
	return &Error{Kind: kind, Issues: []Issue{is}}
}

// Wrap is New with a cause.
func Wrap(err error, kind Kind, code, expression, format string, args ...any) *Error {
	e := New(kind, code, expression, format, args...)
	e.Err = err
	return e
}

// Invalid is a 400 with issue code "invalid" (or a more precise code given in code).
func Invalid(code, expression, format string, args ...any) *Error {
	if code == "" {
		code = "invalid"
	}
	return New(KindInvalid, code, expression, format, args...)
}

// NotFound is a 404 with issue code not-found.
func NotFound(format string, args ...any) *Error {
	return New(KindNotFound, "not-found", "", format, args...)
}

// Gone is a 410 with issue code deleted.
func Gone(format string, args ...any) *Error {
	return New(KindGone, "deleted", "", format, args...)
}

// Conflict is a 409 with issue code conflict.
func Conflict(format string, args ...any) *Error {
	return New(KindConflict, "conflict", "", format, args...)
}

// Precondition is a 412; code is conflict (If-Match) or multiple-matches (conditional).
func Precondition(code, format string, args ...any) *Error {
	return New(KindPrecondition, code, "", format, args...)
}

// Forbidden is a 403 with issue code forbidden.
func Forbidden(format string, args ...any) *Error {
	return New(KindForbidden, "forbidden", "", format, args...)
}

// Unauthorized is a 401 with issue code login.
func Unauthorized(format string, args ...any) *Error {
	return New(KindUnauthorized, "login", "", format, args...)
}

// NotSupported is a 400/405/406/415/501 (by kind) with issue code not-supported.
func NotSupported(kind Kind, format string, args ...any) *Error {
	return New(kind, "not-supported", "", format, args...)
}

// Unprocessable is a 422 carrying several issues (profile validation, business rules).
func Unprocessable(issues ...Issue) *Error {
	return &Error{Kind: KindUnprocessable, Issues: issues}
}

// Fault is a 500; the cause is logged, never shown.
func Fault(err error) *Error {
	return &Error{Kind: KindFault, Err: err, Issues: []Issue{{
		Severity: "error", Code: "exception", Diagnostics: "internal server error",
	}}}
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}
