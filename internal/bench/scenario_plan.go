package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/rorfhir/ror/internal/service"
)

// Env is what scenarios need: the server under test and the dataset loaded in it.
type Env struct {
	BaseURL     string // the server, e.g. http://127.0.0.1:34567
	Client      *http.Client
	Service     *service.Service // for set-up writes (not timed)
	Sites       []Site
	Codes       Codes
	Services    int       // generated HealthcareServices (ids ServiceID(0..Services-1))
	DeltaSince  time.Time // half of the generated services were written at or after it
	Concurrency int
}

// Scenario is one measured interaction.
type Scenario struct {
	Name        string
	Description string
	// Search marks a typical search: the p50/p99 goals apply to it.
	Search bool
	// Prepare probes the server (one request, answers captured for the baseline) and returns the
	// plan of the run, or a *NotAvailableError when the server lacks the feature.
	Prepare func(ctx context.Context, env *Env) (*Plan, error)
}

// Plan is a prepared scenario.
type Plan struct {
	NewWorker func(i int) Worker
	// Baseline is what the plain net/http server answers, from memory, in the baseline run.
	Baseline Payload
	// Concurrency overrides Env.Concurrency when > 0 (e.g. one $export at a time).
	Concurrency int
	// Items names what Worker.Check counts ("resources"); "" when the throughput is in requests.
	Items string
}

// NotAvailableError says the server does not offer what a scenario needs yet.
type NotAvailableError struct{ Reason string }

func (e *NotAvailableError) Error() string { return "not available yet: " + e.Reason }

// strictSearch is the header of every search: unknown or unsupported parameters fail with 400
// instead of being ignored, so that a missing feature is seen, never measured as a faster query.
var strictSearch = http.Header{"Prefer": {"handling=strict"}, "Accept": {"application/fhir+json"}}

var jsonBody = http.Header{"Content-Type": {"application/fhir+json"}, "Accept": {"application/fhir+json"}}

// probe sends rq once. A status other than want is a *NotAvailableError when it says the feature
// is missing (404, 405, 501, or 400 with issue code not-supported), else an error.
func probe(ctx context.Context, env *Env, rq Request, want int) (Response, error) {
	resp, err := send(ctx, env.Client, env.BaseURL, rq)
	if err != nil {
		return resp, fmt.Errorf("probe %s %s: %w", rq.Method, rq.Path, err)
	}
	if resp.Status == want {
		return resp, nil
	}
	switch {
	case resp.Status == http.StatusNotFound, resp.Status == http.StatusMethodNotAllowed, resp.Status == http.StatusNotImplemented,
		resp.Status == http.StatusBadRequest && bytes.Contains(resp.Body, []byte(`"not-supported"`)):
		return resp, &NotAvailableError{Reason: fmt.Sprintf("%s %s: %d %s", rq.Method, shortPath(rq.Path), resp.Status, diagnostics(resp.Body))}
	}
	return resp, fmt.Errorf("probe %s %s: %w", rq.Method, shortPath(rq.Path), StatusError(resp, want))
}

// diagnostics returns the first diagnostics of an OperationOutcome (or the start of the body).
func diagnostics(b []byte) string {
	var oo struct {
		Issue []struct {
			Diagnostics string `json:"diagnostics"`
		} `json:"issue"`
	}
	if json.Unmarshal(b, &oo) == nil && len(oo.Issue) > 0 && oo.Issue[0].Diagnostics != "" {
		return snippet([]byte(oo.Issue[0].Diagnostics), 160)
	}
	return snippet(b, 120)
}

func shortPath(p string) string {
	if len(p) > 90 {
		return p[:90] + "..."
	}
	return p
}

// isNotAvailable reports whether err says the feature is missing.
func isNotAvailable(err error) (*NotAvailableError, bool) {
	var na *NotAvailableError
	ok := errors.As(err, &na)
	return na, ok
}

// Scenarios lists every scenario, in the order they run: reads, searches, history, then writes
// (so that the searches see the dataset as loaded), then the bulk features.
func Scenarios() []Scenario {
	return []Scenario{
		readByID(), vread(),
		searchIdentifier(), searchNamePrefix(), searchPostalCode(), searchNear(),
		lastUpdatedDelta(false), lastUpdatedDelta(true), activityCareMode(),
		historyPaging(),
		create(), updateIfMatch(),
		transaction(), export(),
	}
}
