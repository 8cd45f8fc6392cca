package integration

import (
	"encoding/json"
	"strings"
	"testing"
)

// bundleAnswer is a batch-response or transaction-response, decoded.
type bundleAnswer struct {
	ResourceType string
	Type         string
	Entry        []struct {
		FullURL  string
		Resource json.RawMessage
		Response struct {
			Status, Location, Etag, LastModified string
			Outcome                              *struct {
				Issue []struct {
					Severity, Code, Diagnostics string
					Expression                  []string
				}
			}
		}
	}
}

// postBundle sends a Bundle to POST [base] and decodes a 200 answer.
func (e *env) postBundle(t *testing.T, bundle string, headers ...string) (response, bundleAnswer) {
	t.Helper()
	res := e.do("POST", "/fhir", bundle, headers...)
	var b bundleAnswer
	if res.status == 200 {
		if err := json.Unmarshal(res.body, &b); err != nil {
			t.Fatalf("answer is not a Bundle: %v\n%s", err, res.body)
		}
	}
	return res, b
}

// idOf returns the id in a Location or fullUrl ([base]/Type/id[/_history/n]).
func idOf(t *testing.T, url string) string {
	t.Helper()
	_, rest, ok := strings.Cut(url, "/fhir/")
	parts := strings.Split(rest, "/")
	if !ok || len(parts) < 2 {
		t.Fatalf("no Type/id in %q", url)
	}
	return parts[1]
}

// readBack GETs Type/id and decodes it (the status is returned for 404/410 checks).
func (e *env) readBack(t *testing.T, typ, id string) (int, map[string]any) {
	t.Helper()
	res := e.do("GET", "/fhir/"+typ+"/"+id, "")
	if res.status != 200 {
		return res.status, nil
	}
	return res.status, res.json(t)
}

// count returns the number of matches of a search (a query string on typ).
func (e *env) count(t *testing.T, typ, query string) int {
	t.Helper()
	res := e.do("GET", "/fhir/"+typ+"?"+query+"&_total=accurate", "")
	if res.status != 200 {
		t.Fatalf("search %s?%s: %d %s", typ, query, res.status, res.body)
	}
	var b struct{ Total int }
	if err := json.Unmarshal(res.body, &b); err != nil {
		t.Fatal(err)
	}
	return b.Total
}

// issueSays reports whether an OperationOutcome answer has an issue of this code whose
// diagnostics contain text and whose expressions include expr (code and expr: when given).
func issueSays(t *testing.T, body []byte, code, text, expr string) bool {
	t.Helper()
	var oo struct {
		ResourceType string
		Issue        []struct {
			Code, Diagnostics string
			Expression        []string
		}
	}
	if err := json.Unmarshal(body, &oo); err != nil || oo.ResourceType != "OperationOutcome" {
		return false
	}
	for _, is := range oo.Issue {
		if code != "" && is.Code != code || !strings.Contains(is.Diagnostics, text) {
			continue
		}
		if expr == "" {
			return true
		}
		for _, x := range is.Expression {
			if x == expr {
				return true
			}
		}
	}
	return false
}
