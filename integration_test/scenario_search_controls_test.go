package integration

import (
	"testing"

	"github.com/rorfhir/ror/internal/service"
)

// TestSearchSummaryPerType: _summary=true keeps the R4 summary elements of each resource's own
// type (Organization.telecom is not one, Practitioner.telecom is).
func TestSearchSummaryPerType(t *testing.T) {
	e := newEnv(t, service.Options{Now: steppingClock()})
	e.run([]scenario{
		{name: "seed organization", method: "PUT", path: "/fhir/Organization/o1", status: 201,
			body: `{"resourceType":"Organization","id":"o1","active":true,"name":"CH Test","alias":["CHT"],"telecom":[{"system":"phone","value":"0102030405"}],"address":[{"city":"Lyon"}]}`},
		{name: "seed practitioner", method: "PUT", path: "/fhir/Practitioner/p1", status: 201,
			body: `{"resourceType":"Practitioner","id":"p1","name":[{"family":"Martin"}],"telecom":[{"system":"phone","value":"0102030405"}],"address":[{"city":"Lyon"}],"qualification":[{"code":{"text":"MD"}}]}`},
		{name: "seed location", method: "PUT", path: "/fhir/Location/l1", status: 201,
			body: `{"resourceType":"Location","id":"l1","status":"active","name":"Site","telecom":[{"system":"phone","value":"0102030405"}],"position":{"latitude":45.76,"longitude":4.83}}`},
		{name: "organization summary", method: "GET", path: "/fhir/Organization?_summary=true", status: 200,
			json: `{"entry":[{"resource":{"resourceType":"Organization","id":"o1","active":true,"name":"CH Test",
				"meta":{"tag":[{"code":"SUBSETTED"}]},"alias":null,"telecom":null,"address":null}}]}`},
		{name: "practitioner summary", method: "GET", path: "/fhir/Practitioner?_summary=true", status: 200,
			json: `{"entry":[{"resource":{"resourceType":"Practitioner","id":"p1","name":[{"family":"Martin"}],
				"telecom":[{"value":"0102030405"}],"address":[{"city":"Lyon"}],"qualification":null}}]}`},
		{name: "location summary", method: "GET", path: "/fhir/Location?_summary=true", status: 200,
			json: `{"entry":[{"resource":{"resourceType":"Location","id":"l1","status":"active","name":"Site","telecom":null,"position":null}}]}`},
	})
}

// TestSearchTotalEstimate: _total=estimate gives a total (exact while under the cap of 1,000
// matches), accurate an exact one, none nothing.
func TestSearchTotalEstimate(t *testing.T) {
	e := newEnv(t, service.Options{Now: steppingClock()})
	e.run([]scenario{
		{name: "seed a", method: "PUT", path: "/fhir/Organization/a", body: orgWith("a", "780000001", "11", true), status: 201},
		{name: "seed b", method: "PUT", path: "/fhir/Organization/b", body: orgWith("b", "780000002", "11", false), status: 201},
		{name: "seed c", method: "PUT", path: "/fhir/Organization/c", body: orgWith("c", "690000003", "84", true), status: 201},
		{name: "delete c", method: "DELETE", path: "/fhir/Organization/c", status: 204},
		{name: "estimate", method: "GET", path: "/fhir/Organization?_total=estimate&_count=1", status: 200,
			json: `{"total":2,"entry":[{"resource":{"id":"a"}}]}`},
		{name: "estimate with a condition", method: "GET", path: "/fhir/Organization?_total=estimate&_profile=" + rorOrg, status: 200,
			json: `{"total":1,"entry":[{"resource":{"id":"a"}}]}`},
		{name: "estimate on the next page", method: "GET", path: "/fhir/Organization?_total=estimate&_count=1", status: 200,
			json: `{"link":[{"relation":"self"},{"relation":"next","url":"~_total=estimate"}]}`},
		{name: "accurate", method: "GET", path: "/fhir/Organization?_total=accurate&_count=1", status: 200, json: `{"total":2}`},
		{name: "none", method: "GET", path: "/fhir/Organization?_total=none", status: 200, json: `{"total":null}`},
	})
}
