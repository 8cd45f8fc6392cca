package integration

import (
	"context"
	"strings"
	"testing"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/internal/service"
	"github.com/rorfhir/ror/store"
)

// rejectForbidden is a pluggable check (as profile validation and FINESS protection will be).
func rejectForbidden(ctx context.Context, typ string, cur *store.Version, body []byte) ([]fherr.Issue, error) {
	if strings.Contains(string(body), "FORBIDDEN") {
		return []fherr.Issue{{Severity: "error", Code: "business-rule", Diagnostics: "this name is reserved", Expression: []string{"Organization.name"}}}, nil
	}
	if strings.Contains(string(body), "DUBIOUS") {
		return []fherr.Issue{{Severity: "warning", Code: "business-rule", Diagnostics: "dubious name"}}, nil
	}
	return nil, nil
}

func TestEdgeScenarios(t *testing.T) {
	e := newEnv(t, service.Options{Checks: []service.Check{service.CheckFunc(rejectForbidden)}})
	e.run([]scenario{
		{name: "check rejects with 422", method: "PUT", path: "/fhir/Organization/x", body: `{"resourceType":"Organization","id":"x","name":"FORBIDDEN"}`,
			status: 422, json: `{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"business-rule","expression":["Organization.name"]}]}`},
		{name: "check warning reaches the client", method: "POST", path: "/fhir/Organization", body: `{"resourceType":"Organization","name":"DUBIOUS"}`,
			headers: []string{"Prefer: return=OperationOutcome"}, status: 201,
			json: `{"issue":[{"severity":"warning","code":"business-rule"},{"severity":"information"}]}`},
		{name: "v1", method: "PUT", path: "/fhir/Organization/h", body: `{"resourceType":"Organization","id":"h","name":"one"}`, status: 201},
		{name: "v2", method: "PUT", path: "/fhir/Organization/h", body: `{"resourceType":"Organization","id":"h","name":"two"}`, status: 200},
		{name: "_at now gives the current version", method: "GET", path: "/fhir/Organization/h/_history?_at=2100-01-01T00:00:00Z", status: 200,
			json: `{"entry":[{"resource":{"name":"two","meta":{"versionId":"2"}}}]}`},
		{name: "_at before everything", method: "GET", path: "/fhir/Organization/h/_history?_at=2001-01-01", status: 200, json: `{"entry":null}`},
		{name: "_since with a time zone", method: "GET", path: "/fhir/Organization/h/_history?_since=2001-01-01T00:00:00%2B01:00", status: 200,
			json: `{"entry":["*","*"]}`},
		{name: "POST on metadata", method: "POST", path: "/fhir/metadata", body: `{}`, status: 405},
		{name: "DELETE system history", method: "DELETE", path: "/fhir/_history", status: 405},
		{name: "POST system history", method: "POST", path: "/fhir/_history", body: `{}`, status: 405},
		// the base answers POST only (batch and transaction)
		{name: "fhir root", method: "GET", path: "/fhir", status: 405, json: oo("not-supported"), header: map[string]string{"Allow": "~POST"}},
		{name: "fhir root slash", method: "GET", path: "/fhir/", status: 405, json: oo("not-supported")},
	})
}
