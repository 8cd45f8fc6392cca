// Package auth decides who may do what: it authenticates bearer tokens (JWT, golang-jwt v5) and
// takes every access decision in one place (Authorizer), from SMART scopes today and from the ROR
// access profiles and regional write rights later.
//
// This package must not import api, store backends or any HTTP framework.
package auth

import (
	"context"
	"net/http"
)

// Interaction is a FHIR RESTful interaction (or an operation) being attempted.
type Interaction string

// Interactions.
const (
	Read         Interaction = "read"
	VRead        Interaction = "vread"
	History      Interaction = "history"
	Search       Interaction = "search"
	Create       Interaction = "create"
	Update       Interaction = "update"
	Patch        Interaction = "patch"
	Delete       Interaction = "delete"
	Capabilities Interaction = "capabilities"
	Operation    Interaction = "operation"
	// Transaction is POST [base] with a batch or transaction Bundle: it needs an authenticated
	// caller only; each entry is then decided as the interaction it stands for (create, update,
	// patch, delete, read, vread, search) on its own type and id.
	Transaction Interaction = "transaction"
)

// IsWrite reports whether the interaction changes data.
func (i Interaction) IsWrite() bool {
	switch i {
	case Create, Update, Patch, Delete:
		return true
	}
	return false
}

// Request is what is being attempted: the interaction, the resource type ("" for system-level
// interactions), the id for instance-level ones, and the request headers (Authorization, and later the ROR profile headers).
type Request struct {
	Interaction Interaction
	Type        string
	ID          string // the resource id for instance-level interactions, else ""
	Header      http.Header
}

// Principal is the authenticated caller.
type Principal struct {
	Subject string
	Scopes  []string
}

// Authorizer takes the access decision for one request. It returns the caller, or an
// *fherr.Error of KindUnauthorized (no or bad credentials: 401) or KindForbidden (valid
// credentials without the right: 403).
type Authorizer interface {
	Authorize(ctx context.Context, r Request) (Principal, error)
}
