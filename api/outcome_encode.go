package api

import (
	"encoding/json"

	"github.com/rorfhir/ror/fhir/fherr"
)

// operationOutcome is the FHIR OperationOutcome the server builds itself.
type operationOutcome struct {
	ResourceType string         `json:"resourceType"`
	Issue        []outcomeIssue `json:"issue"`
}

type outcomeIssue struct {
	Severity    string   `json:"severity"`
	Code        string   `json:"code"`
	Diagnostics string   `json:"diagnostics,omitempty"`
	Expression  []string `json:"expression,omitempty"`
}

// outcomeJSON encodes issues as an OperationOutcome; an empty list gets one information issue
// saying msg.
func outcomeJSON(issues []fherr.Issue, msg string) []byte {
	oo := operationOutcome{ResourceType: "OperationOutcome", Issue: make([]outcomeIssue, 0, len(issues)+1)}
	for _, is := range issues {
		sev := is.Severity
		if sev == "" {
			sev = "error"
		}
		code := is.Code
		if code == "" {
			code = "processing"
		}
		oo.Issue = append(oo.Issue, outcomeIssue{Severity: sev, Code: code, Diagnostics: is.Diagnostics, Expression: is.Expression})
	}
	if len(oo.Issue) == 0 {
		oo.Issue = append(oo.Issue, outcomeIssue{Severity: "information", Code: "informational", Diagnostics: msg})
	}
	b, err := json.Marshal(oo)
	if err != nil { // cannot happen: plain strings only
		return []byte(`{"resourceType":"OperationOutcome","issue":[{"severity":"fatal","code":"exception"}]}`)
	}
	return b
}
