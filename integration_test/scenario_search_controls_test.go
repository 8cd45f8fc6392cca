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
