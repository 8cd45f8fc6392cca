package api

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rorfhir/ror/internal/auth"
	"github.com/rorfhir/ror/internal/service"
)

// bundle: POST [base] with a batch or transaction Bundle. Each entry is authorized as the
// interaction it stands for, by the same access decision as that interaction sent alone. The
// answer is a batch-response or transaction-response (200); a transaction that fails is answered
// with the OperationOutcome of the entry at fault and its status.
func (s *server) bundle(c echo.Context, _ string) error {
	body, err := s.readBody(c)
	if err != nil {
		return err
	}
	r := c.Request()
	res, err := s.svc.Bundle(r.Context(), service.BundleRequest{
		Body:   body,
		Base:   s.fhirBase(r),
		Strict: preferHandling(r) == "strict",
		Authorize: func(ctx context.Context, a service.EntryAccess) error {
			_, err := s.authz.Authorize(ctx, auth.Request{Interaction: a.Interaction, Type: a.Type, ID: a.ID, Header: r.Header})
			return err
		},
	})
	if err != nil {
		return err
	}
	for _, e := range res.Entries {
		if e.Err != nil && statusOf(toFHIRError(e.Err).Kind) >= 500 {
			c.Set(ctxKeyCause, e.Err) // a batch entry's 5xx: its cause goes to the request's log line, as for a request
			break
		}
	}
	return c.Blob(http.StatusOK, contentTypeFHIR, s.bundleResponse(r, res))
}
