package conformance

import (
	"encoding/json"
	"fmt"
	"strings"
)

// bundles collects the answers of PATCH (the patched resource, the OperationOutcomes of its
// errors) and of a transaction and a batch (the transaction-response and batch-response Bundles,
// with resources, a searchset and OperationOutcomes in their entries), for the validators.
func (s *scenario) bundles() {
	var org, hs Resource
	for _, r := range s.loaded {
		switch {
		case org == nil && r["resourceType"] == "Organization":
			org = r
		case hs == nil && r["resourceType"] == "HealthcareService":
			hs = r
		}
	}
	if org == nil || hs == nil {
		s.t.Error("no Organization or HealthcareService loaded: PATCH and bundles are not exercised")
		return
	}
	jsonPatch := map[string]string{"Content-Type": "application/json-patch+json"}
	s.do(Request{Name: "patch", Method: "PATCH", Path: path(org), Header: jsonPatch, Want: []int{200},
		Body: []byte(`[{"op":"add","path":"/alias","value":["Alias ajouté par PATCH"]}]`)})
	s.do(Request{Name: "err-patch-test", Method: "PATCH", Path: path(org), Header: jsonPatch, Want: []int{422},
		Body: []byte(`[{"op":"test","path":"/alias/0","value":"pas cet alias"}]`)})
	s.do(Request{Name: "err-patch-malformed", Method: "PATCH", Path: path(org), Header: jsonPatch, Want: []int{400},
		Body: []byte(`[{"op":"rename","path":"/name"}]`)})
	s.do(Request{Name: "err-patch-fhirpath", Method: "PATCH", Path: path(org), Want: []int{415},
		Body: []byte(`{"resourceType":"Parameters","parameter":[{"name":"operation","part":[{"name":"type","valueCode":"delete"}]}]}`)})

	const orgURN = "urn:uuid:7d4e2c1a-9b8f-4e6d-a5c3-b2a1f0e9d8c7"
	newOrg := ClientFixtures(s.term, 5)[4] // distinct from the creates' fixtures (1 to 4)
	newHS := clone(hs)
	delete(newHS, "id")
	newHS["providedBy"] = Resource{"reference": orgURN}
	tx := bundle("transaction",
		Resource{"fullUrl": orgURN, "resource": newOrg, "request": Resource{"method": "POST", "url": "Organization"}},
		Resource{"resource": newHS, "request": Resource{"method": "POST", "url": "HealthcareService"}},
		Resource{"request": Resource{"method": "GET", "url": path(org)}},
		Resource{"request": Resource{"method": "GET", "url": "Organization?_count=2"}})
	ex := s.do(Request{Name: "transaction", Method: "POST", Path: s.c.Base, Body: tx, Want: []int{200}})
	s.checkStatuses(ex, "transaction-response", "201 Created", "201 Created", "200 OK", "200 OK")
	if b := string(ex.Body); ex.Status == 200 && strings.Contains(b, orgURN) {
		s.t.Errorf("transaction: the urn:uuid reference was not rewritten: %.300s", b)
	}
	batch := bundle("batch",
		Resource{"request": Resource{"method": "GET", "url": "Organization/does-not-exist"}},
		Resource{"resource": Resource{"resourceType": "Organization", "active": "yes"}, "request": Resource{"method": "POST", "url": "Organization"}},
		Resource{"request": Resource{"method": "GET", "url": path(org)}})
	ex = s.do(Request{Name: "batch", Method: "POST", Path: s.c.Base, Body: batch, Want: []int{200}})
	s.checkStatuses(ex, "batch-response", "404 Not Found", "400 Bad Request", "200 OK")
	bad := bundle("transaction",
		Resource{"resource": newOrg, "request": Resource{"method": "POST", "url": "Organization"}},
		Resource{"resource": Resource{"resourceType": "Organization", "active": "yes"}, "request": Resource{"method": "POST", "url": "Organization"}})
	s.do(Request{Name: "err-transaction-entry", Method: "POST", Path: s.c.Base, Body: bad, Want: []int{400}})
	s.do(Request{Name: "err-bundle-type", Method: "POST", Path: s.c.Base, Body: []byte(`{"resourceType":"Bundle","type":"collection"}`), Want: []int{400}})
}

// checkStatuses checks the type of a batch or transaction answer and its entries' statuses.
func (s *scenario) checkStatuses(ex *Exchange, typ string, statuses ...string) {
	s.t.Helper()
	var b struct {
		Type  string
		Entry []struct{ Response struct{ Status string } }
	}
	if ex.Status != 200 || json.Unmarshal(ex.Body, &b) != nil {
		return // the collector reports the status
	}
	got := make([]string, len(b.Entry))
	for i, e := range b.Entry {
		got[i] = e.Response.Status
	}
	if b.Type != typ || fmt.Sprint(got) != fmt.Sprint(statuses) {
		s.t.Errorf("%s: %s with statuses %v, want %s with %v", ex.Name, b.Type, got, typ, statuses)
	}
}

// bundle is a batch or transaction Bundle of entries.
func bundle(typ string, entries ...Resource) []byte {
	es := make([]any, len(entries))
	for i, e := range entries {
		es[i] = e
	}
	return mustJSON(Resource{"resourceType": "Bundle", "type": typ, "entry": es})
}

// clone deep-copies a resource.
func clone(r Resource) Resource {
	var out Resource
	if err := json.Unmarshal(mustJSON(r), &out); err != nil {
		panic(err)
	}
	return out
}
