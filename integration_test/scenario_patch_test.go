package integration

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rorfhir/ror/internal/finess"
	"github.com/rorfhir/ror/internal/service"
	"github.com/rorfhir/ror/store"
)

const jsonPatchCT = "Content-Type: application/json-patch+json"

// PATCH with a JSON Patch document through the server over a real store, with the FINESS guard as
// the server runs it: the patched resource goes through the update path (checks, If-Match,
// headers, Prefer) and is recorded with the method PATCH; every refused patch leaves the stored
// resource as it was.
func TestPatchScenarios(t *testing.T) {
	e := newEnv(t, service.Options{Checks: []service.Check{finess.Guard{}}})
	importFile(t, e.st, finessSubset(t, 1), nil)
	e.vars["finess"] = firstFinessOrganization(t, e)
	loc := `~^` + e.base + `/Organization/p1/_history/`
	e.run([]scenario{
		{name: "seed", method: "PUT", path: "/fhir/Organization/p1", status: 201,
			body: `{"resourceType":"Organization","id":"p1","name":"A","active":true,"alias":["x"],"extension":[{"url":"http://example.org/e","valueDecimal":4.50}]}`},
		{name: "seed to delete", method: "PUT", path: "/fhir/Organization/gone", body: `{"resourceType":"Organization","id":"gone"}`, status: 201},
		{name: "delete it", method: "DELETE", path: "/fhir/Organization/gone", status: 204},

		// success: replace, add, remove in one patch; the answer is an update's
		{name: "patch replace add remove", method: "PATCH", path: "/fhir/Organization/p1", headers: []string{jsonPatchCT},
			body:   `[{"op":"replace","path":"/name","value":"B"},{"op":"add","path":"/alias/-","value":"y"},{"op":"remove","path":"/active"}]`,
			status: 200, auth: "patch Organization",
			header: map[string]string{"ETag": `W/"2"`, "Location": loc + `2$`, "Last-Modified": "*"},
			json:   `{"resourceType":"Organization","id":"p1","meta":{"versionId":"2"},"name":"B","alias":["x","y"],"active":null}`},
		{name: "read it back", method: "GET", path: "/fhir/Organization/p1", status: 200,
			json: `{"meta":{"versionId":"2"},"name":"B","alias":["x","y"],"active":null,"extension":[{"valueDecimal":4.50}]}`},
		{name: "patch Prefer return=minimal", method: "PATCH", path: "/fhir/Organization/p1", headers: []string{jsonPatchCT, "Prefer: return=minimal"},
			body: `[{"op":"add","path":"/active","value":true}]`, status: 200, json: "-", header: map[string]string{"ETag": `W/"3"`, "Location": loc + `3$`}},
		{name: "patch Prefer return=OperationOutcome", method: "PATCH", path: "/fhir/Organization/p1", headers: []string{jsonPatchCT, "Prefer: return=OperationOutcome"},
			body: `[{"op":"replace","path":"/active","value":false}]`, status: 200,
			json: `{"resourceType":"OperationOutcome","issue":[{"severity":"information","diagnostics":"~version 4 updated"}]}`},
		{name: "patch If-Match current", method: "PATCH", path: "/fhir/Organization/p1", headers: []string{jsonPatchCT, `If-Match: W/"4"`},
			body: `[{"op":"test","path":"/name","value":"B"},{"op":"replace","path":"/name","value":"C"}]`, status: 200,
			header: map[string]string{"ETag": `W/"5"`}, json: `{"name":"C"}`},

		// refused: nothing is written (the last scenario reads version 5 back)
		{name: "patch If-Match stale", method: "PATCH", path: "/fhir/Organization/p1", headers: []string{jsonPatchCT, `If-Match: W/"1"`},
			body: `[{"op":"replace","path":"/name","value":"D"}]`, status: 412,
			json: `{"issue":[{"code":"conflict","diagnostics":"~version 1 was expected but Organization/p1 is at version 5"}]}`},
		{name: "patch failing test", method: "PATCH", path: "/fhir/Organization/p1", headers: []string{jsonPatchCT},
			body: `[{"op":"replace","path":"/name","value":"D"},{"op":"test","path":"/alias/0","value":"nope"}]`, status: 422,
			json: `{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"processing","diagnostics":"~^JSON Patch operation 1 \\(test /alias/0\\) cannot be applied to Organization/p1: the test failed"}]}`},
		{name: "patch path that does not exist", method: "PATCH", path: "/fhir/Organization/p1", headers: []string{jsonPatchCT},
			body: `[{"op":"replace","path":"/description","value":"D"}]`, status: 422,
			json: `{"issue":[{"code":"not-found","diagnostics":"~operation 0 \\(replace /description\\).*/description does not exist"}]}`},
		{name: "patch not an array", method: "PATCH", path: "/fhir/Organization/p1", headers: []string{jsonPatchCT},
			body: `{"op":"replace","path":"/name","value":"D"}`, status: 400, json: `{"issue":[{"code":"invalid","diagnostics":"~array of operations"}]}`},
		{name: "patch unknown op", method: "PATCH", path: "/fhir/Organization/p1", headers: []string{jsonPatchCT},
			body: `[{"op":"test","path":"/name","value":"C"},{"op":"rename","path":"/name"}]`, status: 400,
			json: `{"issue":[{"code":"invalid","diagnostics":"~operation 1: op \"rename\" is not one of add, remove, replace, move, copy, test"}]}`},
		{name: "patch without value", method: "PATCH", path: "/fhir/Organization/p1", headers: []string{jsonPatchCT},
			body: `[{"op":"add","path":"/alias/-"}]`, status: 400, json: `{"issue":[{"code":"invalid","diagnostics":"~operation 0 \\(add /alias/-\\) has no \"value\""}]}`},
		{name: "patch with a FHIR resource", method: "PATCH", path: "/fhir/Organization/p1",
			body: `{"resourceType":"Parameters","parameter":[{"name":"operation"}]}`, status: 415,
			json: `{"issue":[{"code":"not-supported","diagnostics":"~application/json-patch\\+json; FHIRPath Patch \\(a Parameters resource\\) is not supported"}]}`},
		{name: "patch as merge patch", method: "PATCH", path: "/fhir/Organization/p1", headers: []string{"Content-Type: application/merge-patch+json"},
			body: `{"name":"D"}`, status: 415, json: oo("not-supported")},
		{name: "patch changing the id", method: "PATCH", path: "/fhir/Organization/p1", headers: []string{jsonPatchCT},
			body: `[{"op":"replace","path":"/id","value":"p2"}]`, status: 400,
			json: `{"issue":[{"code":"invalid","expression":["Organization.id"],"diagnostics":"~operation 0 \\(replace /id\\) may not change id"}]}`},
		{name: "patch changing the resourceType", method: "PATCH", path: "/fhir/Organization/p1", headers: []string{jsonPatchCT},
			body: `[{"op":"replace","path":"/resourceType","value":"Location"}]`, status: 400,
			json: `{"issue":[{"expression":["Organization.resourceType"],"diagnostics":"~may not change resourceType"}]}`},
		{name: "patch changing meta.lastUpdated", method: "PATCH", path: "/fhir/Organization/p1", headers: []string{jsonPatchCT},
			body: `[{"op":"replace","path":"/meta/lastUpdated","value":"2001-01-01T00:00:00Z"}]`, status: 400,
			json: `{"issue":[{"expression":["Organization.meta.lastUpdated"],"diagnostics":"~set by the server"}]}`},
		{name: "patch replacing meta", method: "PATCH", path: "/fhir/Organization/p1", headers: []string{jsonPatchCT},
			body: `[{"op":"replace","path":"/meta","value":{"profile":["http://example.org/p"]}}]`, status: 400,
			json: `{"issue":[{"expression":["Organization.meta.versionId"],"diagnostics":"~operation 0 \\(replace /meta\\) changes meta.versionId from \"5\" to \"\""}]}`},
		{name: "patch giving an invalid resource", method: "PATCH", path: "/fhir/Organization/p1", headers: []string{jsonPatchCT},
			body: `[{"op":"replace","path":"/active","value":"yes"}]`, status: 400, json: `{"issue":[{"expression":["Organization.active"]}]}`},
		{name: "patch unknown id", method: "PATCH", path: "/fhir/Organization/nope", headers: []string{jsonPatchCT},
			body: `[{"op":"replace","path":"/name","value":"D"}]`, status: 404, json: oo("not-found")},
		{name: "patch deleted", method: "PATCH", path: "/fhir/Organization/gone", headers: []string{jsonPatchCT},
			body: `[{"op":"replace","path":"/name","value":"D"}]`, status: 410, json: oo("deleted"), header: map[string]string{"ETag": `W/"2"`}},
		{name: "patch unknown type", method: "PATCH", path: "/fhir/Patient/p1", headers: []string{jsonPatchCT},
			body: `[]`, status: 404, json: oo("not-found")},
		{name: "patch a generated StructureDefinition", method: "PATCH", path: "/fhir/StructureDefinition/ror-organization", headers: []string{jsonPatchCT},
			body: `[]`, status: 405, json: oo("not-supported")},
		{name: "nothing refused was written", method: "GET", path: "/fhir/Organization/p1", status: 200,
			json: `{"meta":{"versionId":"5"},"name":"C","alias":["x","y"],"active":false}`},

		// FINESS-owned elements are refused as in an update; the ROR's own elements may be patched
		{name: "patch a FINESS-owned element", method: "PATCH", path: "/fhir/Organization/{finess}", headers: []string{jsonPatchCT},
			body: `[{"op":"replace","path":"/name","value":"Renamed in the ROR"}]`, status: 422,
			json: `{"issue":[{"severity":"error","code":"business-rule","expression":["Organization.name"],"diagnostics":"~must be corrected in FINESS"}]}`},
		{name: "patch a ROR element of a FINESS resource", method: "PATCH", path: "/fhir/Organization/{finess}", headers: []string{jsonPatchCT},
			body: `[{"op":"add","path":"/alias","value":["Alias ROR"]}]`, status: 200, json: `{"id":"{finess}","alias":["Alias ROR"],"meta":{"versionId":"2"}}`},
	})

	t.Run("history: stored as PATCH, replayed as PUT", func(t *testing.T) {
		page, err := e.st.History(context.Background(), store.HistoryQuery{Type: "Organization", ID: "p1", Count: 10})
		if err != nil {
			t.Fatal(err)
		}
		methods := map[int64]string{}
		for _, v := range page.Versions {
			methods[v.VersionID] = v.Method
		}
		want := map[int64]string{1: "PUT", 2: "PATCH", 3: "PATCH", 4: "PATCH", 5: "PATCH"}
		for vid, m := range want {
			if methods[vid] != m {
				t.Errorf("stored version %d: method %q, want %q (all: %v)", vid, methods[vid], m, methods)
			}
		}
		// The history Bundle (api/bundle_encode.go) shows the request of each entry; a patched
		// version carries the whole resource, so the entry is the PUT that replays it.
		res := e.do("GET", "/fhir/Organization/p1/_history", "")
		var b struct {
			Entry []struct {
				Resource struct{ Meta struct{ VersionID string } }
				Request  struct{ Method, URL string }
				Response struct{ Status string }
			}
		}
		if err := json.Unmarshal(res.body, &b); err != nil || len(b.Entry) != 5 {
			t.Fatalf("history: %v %s", err, res.body)
		}
		for _, en := range b.Entry[:4] { // newest first: versions 5 to 2
			if en.Request.Method != "PUT" || en.Request.URL != "Organization/p1" || en.Response.Status != "200 OK" {
				t.Errorf("history entry of version %s: %+v %+v", en.Resource.Meta.VersionID, en.Request, en.Response)
			}
		}
	})
}

// firstFinessOrganization returns the id of an Organization the FINESS import wrote (called
// before anything else is stored).
func firstFinessOrganization(t *testing.T, e *env) string {
	t.Helper()
	res := e.do("GET", "/fhir/Organization?_count=1", "")
	ids := entries(t, res)
	if len(ids) != 1 || !strings.HasPrefix(ids[0], "match:Organization/"+finess.IDPrefix) {
		t.Fatalf("no FINESS Organization: %s", res.body)
	}
	return strings.TrimPrefix(ids[0], "match:Organization/")
}
