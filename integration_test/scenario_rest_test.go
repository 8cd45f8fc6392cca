package integration

import (
	"strings"
	"testing"

	"github.com/rorfhir/ror/internal/service"
)

const (
	ct      = "Content-Type: application/fhir+json"
	orgJSON = `{"resourceType":"Organization","name":"CH de Versailles","active":true}`
	org1    = `{"resourceType":"Organization","id":"org1","name":"EJ 1"}`
)

// oo is the expected OperationOutcome with one issue of this code.
func oo(code string) string {
	return `{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"` + code + `","diagnostics":"*"}]}`
}

func TestRESTScenarios(t *testing.T) {
	e := newEnv(t, service.Options{MaxBodyBytes: 4096})
	loc := `~^` + e.base + `/Organization/`
	e.run([]scenario{
		// capabilities
		{name: "metadata", method: "GET", path: "/fhir/metadata", status: 200, auth: "capabilities",
			json: `{"resourceType":"CapabilityStatement","status":"active","kind":"instance","fhirVersion":"4.0.1",
				"format":["application/fhir+json","json"],"rest":[{"mode":"server","interaction":[{"code":"history-system"},{"code":"batch"},{"code":"transaction"}]}]}`},

		// create
		{name: "create", method: "POST", path: "/fhir/Organization", body: orgJSON, status: 201, capture: "org",
			auth:   "create Organization",
			header: map[string]string{"Location": loc + `[0-9a-f]{32}/_history/1$`, "ETag": `W/"1"`, "Last-Modified": "*"},
			json: `{"resourceType":"Organization","id":"~^[0-9a-f]{32}$","meta":{"versionId":"1","lastUpdated":"~^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"},
				"name":"CH de Versailles","active":true}`},
		{name: "create ignores the body id", method: "POST", path: "/fhir/Organization", status: 201,
			body: `{"resourceType":"Organization","id":"chosen"}`, json: `{"id":"~^[0-9a-f]{32}$"}`},
		{name: "create prefer minimal", method: "POST", path: "/fhir/Organization", body: orgJSON,
			headers: []string{"Prefer: return=minimal"}, status: 201, json: "-",
			header: map[string]string{"Location": loc, "ETag": `W/"1"`}},
		{name: "create prefer OperationOutcome", method: "POST", path: "/fhir/Organization", body: orgJSON,
			headers: []string{"Prefer: return=OperationOutcome"}, status: 201,
			json: `{"resourceType":"OperationOutcome","issue":[{"severity":"information","code":"informational","diagnostics":"~created"}]}`},
		{name: "create with an unknown element warns", method: "POST", path: "/fhir/Organization",
			body: `{"resourceType":"Organization","regionalField":"x"}`, headers: []string{"Prefer: return=OperationOutcome"},
			status: 201, json: `{"resourceType":"OperationOutcome","issue":[{"severity":"warning","diagnostics":"~regionalField"},{"severity":"information"}]}`},
		{name: "create unknown type", method: "POST", path: "/fhir/Patient", body: `{"resourceType":"Patient"}`,
			status: 404, json: oo("not-found")},
		{name: "create type differs from URL", method: "POST", path: "/fhir/Organization", body: `{"resourceType":"Location"}`,
			status: 400, json: `{"issue":[{"severity":"error","code":"invalid","expression":["resourceType"]}]}`},
		{name: "create malformed JSON", method: "POST", path: "/fhir/Organization", body: `{"resourceType":"Organization",`,
			status: 400, json: `{"resourceType":"OperationOutcome","issue":[{"severity":"error"}]}`},
		{name: "create not a resource", method: "POST", path: "/fhir/Organization", body: `[1,2]`, status: 400},
		{name: "create empty body", method: "POST", path: "/fhir/Organization", headers: []string{ct}, status: 400, json: oo("required")},
		{name: "create wrong primitive", method: "POST", path: "/fhir/Organization",
			body: `{"resourceType":"Organization","active":"yes"}`, status: 400},
		{name: "create too large", method: "POST", path: "/fhir/Organization",
			body: `{"resourceType":"Organization","name":"` + strings.Repeat("x", 5000) + `"}`, status: 400, json: oo("too-long")},
		{name: "create XML content type", method: "POST", path: "/fhir/Organization", body: orgJSON,
			headers: []string{"Content-Type: application/fhir+xml"}, status: 415, json: oo("not-supported")},
		{name: "create form content type", method: "POST", path: "/fhir/Organization", body: orgJSON,
			headers: []string{"Content-Type: application/x-www-form-urlencoded"}, status: 415, json: oo("not-supported")},
		{name: "create Accept XML", method: "POST", path: "/fhir/Organization", body: orgJSON,
			headers: []string{"Accept: application/fhir+xml"}, status: 406, json: oo("not-supported")},

		// read
		{name: "read", method: "GET", path: "/fhir/Organization/{org}", status: 200, auth: "read Organization",
			header: map[string]string{"ETag": `W/"1"`, "Last-Modified": "*"},
			json:   `{"resourceType":"Organization","id":"{org}","meta":{"versionId":"1"},"name":"CH de Versailles"}`},
		{name: "HEAD read", method: "HEAD", path: "/fhir/Organization/{org}", status: 200, json: "-",
			header: map[string]string{"ETag": `W/"1"`, "Last-Modified": "*", "Content-Type": "~^application/fhir\\+json"}},
		{name: "HEAD read unknown id", method: "HEAD", path: "/fhir/Organization/nope", status: 404, json: "-"},
		{name: "HEAD search", method: "HEAD", path: "/fhir/Organization?_count=1", status: 200, json: "-"},
		{name: "read _format json", method: "GET", path: "/fhir/Organization/{org}?_format=json", status: 200},
		{name: "read Accept json", method: "GET", path: "/fhir/Organization/{org}", headers: []string{"Accept: application/json"}, status: 200},
		{name: "read _format xml", method: "GET", path: "/fhir/Organization/{org}?_format=xml", status: 406, json: oo("not-supported")},
		{name: "read Accept xml", method: "GET", path: "/fhir/Organization/{org}", headers: []string{"Accept: application/fhir+xml"},
			status: 406, json: oo("not-supported")},
		{name: "read Accept text/xml", method: "GET", path: "/fhir/Organization/{org}", headers: []string{"Accept: text/xml"}, status: 406},
		{name: "read If-None-Match current", method: "GET", path: "/fhir/Organization/{org}", headers: []string{`If-None-Match: W/"1"`},
			status: 304, json: "-", header: map[string]string{"ETag": `W/"1"`}},
		{name: "read If-None-Match other", method: "GET", path: "/fhir/Organization/{org}", headers: []string{`If-None-Match: W/"0"`}, status: 200},
		{name: "read If-Modified-Since future", method: "GET", path: "/fhir/Organization/{org}",
			headers: []string{"If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT"}, status: 304, json: "-"},
		{name: "read If-Modified-Since past", method: "GET", path: "/fhir/Organization/{org}",
			headers: []string{"If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT"}, status: 200},
		{name: "read missing", method: "GET", path: "/fhir/Organization/nope", status: 404, json: oo("not-found")},
		{name: "read unknown type", method: "GET", path: "/fhir/Patient/1", status: 404, json: oo("not-found")},

		// update
		{name: "update as create", method: "PUT", path: "/fhir/Organization/org1", body: org1, status: 201, auth: "update Organization",
			header: map[string]string{"Location": loc + `org1/_history/1$`, "ETag": `W/"1"`},
			json:   `{"id":"org1","meta":{"versionId":"1"}}`},
		{name: "update If-Match", method: "PUT", path: "/fhir/Organization/org1", body: org1, headers: []string{`If-Match: W/"1"`},
			status: 200, header: map[string]string{"ETag": `W/"2"`, "Location": loc + `org1/_history/2$`}, json: `{"meta":{"versionId":"2"}}`},
		{name: "update stale If-Match", method: "PUT", path: "/fhir/Organization/org1", body: org1, headers: []string{`If-Match: W/"1"`},
			status: 412, json: oo("conflict")},
		{name: "update bad If-Match", method: "PUT", path: "/fhir/Organization/org1", body: org1, headers: []string{`If-Match: soon`},
			status: 400, json: oo("invalid")},
		{name: "update prefer minimal", method: "PUT", path: "/fhir/Organization/org1", body: org1,
			headers: []string{"Prefer: return=minimal"}, status: 200, json: "-", header: map[string]string{"ETag": `W/"3"`}},
		{name: "update without body id", method: "PUT", path: "/fhir/Organization/org1", body: `{"resourceType":"Organization"}`,
			status: 400, json: `{"issue":[{"code":"required","expression":["Organization.id"]}]}`},
		{name: "update id differs", method: "PUT", path: "/fhir/Organization/org1", body: `{"resourceType":"Organization","id":"org2"}`,
			status: 400, json: `{"issue":[{"code":"invalid","expression":["Organization.id"]}]}`},
		{name: "update bad id", method: "PUT", path: "/fhir/Organization/a_b", body: `{"resourceType":"Organization","id":"a_b"}`,
			status: 400, json: oo("value")},
		{name: "update type differs", method: "PUT", path: "/fhir/Organization/org1", body: `{"resourceType":"Location","id":"org1"}`, status: 400},
		{name: "update text/plain", method: "PUT", path: "/fhir/Organization/org1", body: org1,
			headers: []string{"Content-Type: text/plain"}, status: 415},
		{name: "update unknown type", method: "PUT", path: "/fhir/Patient/p", body: `{"resourceType":"Patient","id":"p"}`, status: 404},

		// vread
		{name: "vread", method: "GET", path: "/fhir/Organization/org1/_history/1", status: 200, auth: "vread Organization",
			header: map[string]string{"ETag": `W/"1"`}, json: `{"id":"org1","meta":{"versionId":"1"}}`},
		{name: "vread missing version", method: "GET", path: "/fhir/Organization/org1/_history/9", status: 404, json: oo("not-found")},
		{name: "vread bad version", method: "GET", path: "/fhir/Organization/org1/_history/x", status: 404, json: oo("not-found")},

		// delete
		{name: "delete stale If-Match", method: "DELETE", path: "/fhir/Organization/org1", headers: []string{`If-Match: W/"1"`},
			status: 412, json: oo("conflict")},
		{name: "delete", method: "DELETE", path: "/fhir/Organization/org1", status: 204, json: "-", auth: "delete Organization",
			header: map[string]string{"ETag": `W/"4"`}},
		{name: "read deleted", method: "GET", path: "/fhir/Organization/org1", status: 410, json: oo("deleted"),
			header: map[string]string{"ETag": `W/"4"`}},
		{name: "vread tombstone", method: "GET", path: "/fhir/Organization/org1/_history/4", status: 410, json: oo("deleted")},
		{name: "vread before delete", method: "GET", path: "/fhir/Organization/org1/_history/3", status: 200},
		{name: "delete again", method: "DELETE", path: "/fhir/Organization/org1", status: 204, header: map[string]string{"ETag": `W/"4"`}},
		{name: "delete never existed", method: "DELETE", path: "/fhir/Organization/never", status: 204, header: map[string]string{"ETag": "-"}},
		{name: "delete prefer OperationOutcome", method: "DELETE", path: "/fhir/Organization/never",
			headers: []string{"Prefer: return=OperationOutcome"}, status: 200,
			json: `{"resourceType":"OperationOutcome","issue":[{"severity":"information","diagnostics":"~nothing changed"}]}`},
		{name: "delete unknown type", method: "DELETE", path: "/fhir/Patient/x", status: 404, json: oo("not-found")},
		{name: "recreate after delete", method: "PUT", path: "/fhir/Organization/org1", body: org1, status: 201,
			header: map[string]string{"ETag": `W/"5"`}},

		// history
		{name: "instance history", method: "GET", path: "/fhir/Organization/org1/_history", status: 200, auth: "history Organization",
			json: `{"resourceType":"Bundle","type":"history","link":[{"relation":"self","url":"~^` + e.base + `/Organization/org1/_history\\?_count="}],
				"entry":[
				 {"fullUrl":"` + e.base + `/Organization/org1","resource":{"meta":{"versionId":"5"}},"request":{"method":"PUT","url":"Organization/org1"},"response":{"status":"200 OK","etag":"W/\"5\""}},
				 {"resource":null,"request":{"method":"DELETE","url":"Organization/org1"},"response":{"etag":"W/\"4\""}},
				 {"request":{"method":"PUT"},"response":{"etag":"W/\"3\""}},
				 {"request":{"method":"PUT"},"response":{"etag":"W/\"2\""}},
				 {"request":{"method":"PUT","url":"Organization/org1"},"response":{"status":"201 Created","etag":"W/\"1\"","lastModified":"*"}}]}`},
		{name: "history of a POST create", method: "GET", path: "/fhir/Organization/{org}/_history", status: 200,
			json: `{"type":"history","entry":[{"request":{"method":"POST","url":"Organization"},"response":{"status":"201 Created","etag":"W/\"1\""}}]}`},
		{name: "instance history paged", method: "GET", path: "/fhir/Organization/org1/_history?_count=2", status: 200,
			json: `{"link":[{"relation":"self"},{"relation":"next","url":"~^` + e.base + `/Organization/org1/_history\\?_count=2&_cursor="}],
				"entry":[{"response":{"etag":"W/\"5\""}},{"response":{"etag":"W/\"4\""}}]}`},
		{name: "instance history _since future", method: "GET", path: "/fhir/Organization/org1/_history?_since=2100-01-01T00:00:00Z", status: 200,
			json: `{"type":"history","entry":null}`},
		{name: "instance history missing", method: "GET", path: "/fhir/Organization/nope/_history", status: 404, json: oo("not-found")},
		{name: "type history", method: "GET", path: "/fhir/Organization/_history?_count=1", status: 200, auth: "history Organization",
			json: `{"type":"history","link":[{"relation":"self"},{"relation":"next"}],"entry":[{"request":{"url":"Organization/org1"}}]}`},
		{name: "type history other type is empty", method: "GET", path: "/fhir/Task/_history", status: 200, json: `{"entry":null}`},
		{name: "system history", method: "GET", path: "/fhir/_history?_count=3", status: 200, auth: "history",
			json: `{"type":"history","entry":["*","*","*"]}`},
		{name: "history bad _count", method: "GET", path: "/fhir/_history?_count=many", status: 400, json: oo("value")},
		{name: "history bad _since", method: "GET", path: "/fhir/_history?_since=yesterday", status: 400, json: oo("value")},
		{name: "history bad cursor", method: "GET", path: "/fhir/_history?_cursor=abc", status: 400, json: oo("invalid")},
		{name: "history unknown type", method: "GET", path: "/fhir/Patient/_history", status: 404, json: oo("not-found")},
		{name: "history xml", method: "GET", path: "/fhir/_history?_format=xml", status: 406},

		// routing
		{name: "PATCH on a type (no conditional patch)", method: "PATCH", path: "/fhir/Organization?name=x", body: `[]`, status: 405,
			json: oo("not-supported"), header: map[string]string{"Allow": "*"}},
		{name: "POST on an instance", method: "POST", path: "/fhir/Organization/org1", body: org1, status: 405, json: oo("not-supported")},
		{name: "DELETE on a type", method: "DELETE", path: "/fhir/Organization", status: 405, json: oo("not-supported")},
		{name: "unknown path", method: "GET", path: "/nothing/here", status: 404, json: oo("not-found")},
		{name: "unknown FHIR path", method: "GET", path: "/fhir/Organization/org1/_history/1/more", status: 404, json: oo("not-found")},

		// access decision
		{name: "401", method: "GET", path: "/fhir/Organization/org1", headers: []string{"Authorization: Bearer bad"}, status: 401, json: oo("login")},
		{name: "403", method: "DELETE", path: "/fhir/Organization/org1", headers: []string{"Authorization: Bearer forbidden"},
			status: 403, json: oo("forbidden"), auth: "delete Organization"},
		{name: "panic is a 500", method: "GET", path: "/fhir/Organization/org1", headers: []string{"Authorization: Bearer panic"},
			status: 500, json: `{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"exception","diagnostics":"internal server error"}]}`},

		// operations
		{name: "healthz", method: "GET", path: "/healthz", status: 200},
		{name: "readyz", method: "GET", path: "/readyz", status: 200},
	})
}
