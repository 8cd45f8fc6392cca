package integration

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rorfhir/ror/internal/service"
)

const (
	finessSys = "urn:oid:1.2.250.1.71.4.2.2"
	regionSys = "https://mos.esante.gouv.fr/NOS/TRE_R30-RegionOM/FHIR/TRE-R30-RegionOM"
	rorOrg    = "https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/ror-organization"
)

// orgWith is an Organization with a FINESS identifier, a region tag and optionally the ROR profile.
func orgWith(id, finess, region string, profiled bool) string {
	profile := ""
	if profiled {
		profile = `"profile":["` + rorOrg + `"],`
	}
	idMember := ""
	if id != "" {
		idMember = `"id":"` + id + `",`
	}
	return fmt.Sprintf(`{"resourceType":"Organization",%s"meta":{%s"tag":[{"system":%q,"code":%q}]},
		"identifier":[{"system":%q,"value":%q}],"name":"Org %s"}`, idMember, profile, regionSys, region, finessSys, finess, id)
}

// steppingClock is a write clock advancing one second per write, so that _lastUpdated orders
// are deterministic.
func steppingClock() func() time.Time {
	var n atomic.Int64
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time { return start.Add(time.Duration(n.Add(1)) * time.Second) }
}

func TestSearchScenarios(t *testing.T) {
	e := newEnv(t, service.Options{Now: steppingClock()})
	base := e.base
	e.run([]scenario{
		{name: "seed a", method: "PUT", path: "/fhir/Organization/a", body: orgWith("a", "780000001", "11", true), status: 201},
		{name: "seed b", method: "PUT", path: "/fhir/Organization/b", body: orgWith("b", "780000002", "11", false), status: 201},
		{name: "seed c", method: "PUT", path: "/fhir/Organization/c", body: orgWith("c", "690000003", "84", true), status: 201},
		{name: "seed d", method: "PUT", path: "/fhir/Organization/d", body: orgWith("d", "690000004", "84", false), status: 201},
		{name: "delete d", method: "DELETE", path: "/fhir/Organization/d", status: 204},
		{name: "seed location", method: "PUT", path: "/fhir/Location/l", body: `{"resourceType":"Location","id":"l"}`, status: 201},

		{name: "all", method: "GET", path: "/fhir/Organization", status: 200, auth: "search Organization",
			json: `{"resourceType":"Bundle","type":"searchset","total":null,
				"link":[{"relation":"self","url":"` + base + `/Organization?_count=200"}],
				"entry":[{"fullUrl":"` + base + `/Organization/a","resource":{"id":"a"},"search":{"mode":"match"}},
				         {"resource":{"id":"b"}},{"resource":{"id":"c"}}]}`},
		{name: "_id", method: "GET", path: "/fhir/Organization?_id=b,c", status: 200, json: `{"entry":[{"resource":{"id":"b"}},{"resource":{"id":"c"}}]}`},
		{name: "identifier system|value", method: "GET", path: "/fhir/Organization?identifier=" + finessSys + "|780000002", status: 200,
			json: `{"entry":[{"resource":{"id":"b"}}]}`},
		{name: "identifier value", method: "GET", path: "/fhir/Organization?identifier=690000003", status: 200,
			json: `{"entry":[{"resource":{"id":"c"}}]}`},
		{name: "identifier of a deleted resource", method: "GET", path: "/fhir/Organization?identifier=690000004", status: 200, json: `{"entry":null}`},
		{name: "_tag", method: "GET", path: "/fhir/Organization?_tag=" + regionSys + "|11", status: 200,
			json: `{"entry":[{"resource":{"id":"a"}},{"resource":{"id":"b"}}]}`},
		{name: "_profile", method: "GET", path: "/fhir/Organization?_profile=" + rorOrg, status: 200,
			json: `{"entry":[{"resource":{"id":"a"}},{"resource":{"id":"c"}}]}`},
		{name: "_lastUpdated ge", method: "GET", path: "/fhir/Organization?_lastUpdated=ge2000-01-01", status: 200, json: `{"entry":["*","*","*"]}`},
		{name: "_lastUpdated lt", method: "GET", path: "/fhir/Organization?_lastUpdated=lt2000-01-01", status: 200, json: `{"entry":null}`},
		{name: "_lastUpdated gt future", method: "GET", path: "/fhir/Organization?_lastUpdated=gt2100", status: 200, json: `{"entry":null}`},
		{name: "_summary=count", method: "GET", path: "/fhir/Organization?_summary=count", status: 200,
			json: `{"type":"searchset","total":3,"entry":null}`},
		{name: "_total=accurate", method: "GET", path: "/fhir/Organization?_total=accurate&_count=1", status: 200,
			json: `{"total":3,"entry":[{"resource":{"id":"a"}}]}`},
		{name: "_sort=-_lastUpdated", method: "GET", path: "/fhir/Organization?_sort=-_lastUpdated", status: 200,
			json: `{"entry":[{"resource":{"id":"c"}},{"resource":{"id":"b"}},{"resource":{"id":"a"}}]}`},
		{name: "_count=1 has next", method: "GET", path: "/fhir/Organization?_count=1", status: 200,
			json: `{"link":[{"relation":"self","url":"` + base + `/Organization?_count=1"},
				{"relation":"next","url":"~^` + base + `/Organization\\?_count=1&_cursor=[A-Za-z0-9_-]+$"}],"entry":[{"resource":{"id":"a"}}]}`},
		{name: "unknown parameter warns", method: "GET", path: "/fhir/Organization?colour=blue&_id=a", status: 200,
			json: `{"link":[{"relation":"self","url":"` + base + `/Organization?_count=200&_id=a"}],
				"entry":[{"resource":{"id":"a"}},{"resource":{"resourceType":"OperationOutcome","issue":[{"severity":"warning","code":"not-supported"}]},"search":{"mode":"outcome"}}]}`},
		{name: "unknown parameter strict", method: "GET", path: "/fhir/Organization?colour=blue", headers: []string{"Prefer: handling=strict"},
			status: 400, json: oo("not-supported")},
		{name: "bad _count", method: "GET", path: "/fhir/Organization?_count=many", status: 400, json: oo("value")},
		{name: "bad date", method: "GET", path: "/fhir/Organization?_lastUpdated=ge-soon", status: 400},
		{name: "bad cursor", method: "GET", path: "/fhir/Organization?_cursor=zzz", status: 400, json: oo("invalid")},
		{name: "search xml", method: "GET", path: "/fhir/Organization?_format=xml", status: 406, json: oo("not-supported")},
		{name: "search unknown type", method: "GET", path: "/fhir/Patient?name=x", status: 404, json: oo("not-found")},

		// conditional create
		{name: "conditional create, no match", method: "POST", path: "/fhir/Organization", body: orgWith("", "130000005", "93", false),
			headers: []string{"If-None-Exist: identifier=" + finessSys + "|130000005"}, status: 201, capture: "cond"},
		{name: "conditional create, one match", method: "POST", path: "/fhir/Organization", body: orgWith("", "130000005", "93", false),
			headers: []string{"If-None-Exist: identifier=" + finessSys + "|130000005"}, status: 200,
			header: map[string]string{"Location": "~/Organization/{cond}/_history/1$", "ETag": `W/"1"`}, json: `{"id":"{cond}"}`},
		{name: "duplicate identifier", method: "POST", path: "/fhir/Organization", body: orgWith("", "130000005", "93", false), status: 201},
		{name: "conditional create, two matches", method: "POST", path: "/fhir/Organization", body: orgWith("", "130000005", "93", false),
			headers: []string{"If-None-Exist: identifier=130000005"}, status: 412, json: oo("multiple-matches")},
		{name: "conditional create, unknown parameter", method: "POST", path: "/fhir/Organization", body: orgWith("", "1", "93", false),
			headers: []string{"If-None-Exist: colour=blue"}, status: 400},
		{name: "conditional create, not a query", method: "POST", path: "/fhir/Organization", body: orgWith("", "1", "93", false),
			headers: []string{"If-None-Exist: %zz"}, status: 400},
		{name: "count after conditional creates", method: "GET", path: "/fhir/Organization?identifier=130000005&_summary=count", status: 200,
			json: `{"total":2}`},
	})
}

// TestSearchPagingFollowsNext pages a search with the next links: every match once, none missed,
// even when resources change between pages.
func TestSearchPagingFollowsNext(t *testing.T) {
	e := newEnv(t, service.Options{Now: steppingClock()})
	const n = 23
	for i := 0; i < n; i++ {
		if res := e.do("PUT", fmt.Sprintf("/fhir/Location/l%02d", i), fmt.Sprintf(`{"resourceType":"Location","id":"l%02d"}`, i)); res.status != 201 {
			t.Fatalf("seed: %d %s", res.status, res.body)
		}
	}
	seen := map[string]int{}
	path := "/fhir/Location?_count=5&_sort=_lastUpdated"
	for pages := 0; path != ""; pages++ {
		res := e.do("GET", path, "")
		if res.status != 200 {
			t.Fatalf("GET %s: %d %s", path, res.status, res.body)
		}
		page := res.json(t)
		entries, _ := page["entry"].([]any)
		for _, en := range entries {
			seen[en.(map[string]any)["resource"].(map[string]any)["id"].(string)]++
		}
		// a resource updated meanwhile moves to the end of the _lastUpdated order: it must not show twice
		if pages == 1 {
			if r := e.do("PUT", "/fhir/Location/l00", `{"resourceType":"Location","id":"l00","name":"moved"}`); r.status != 200 {
				t.Fatalf("update: %d", r.status)
			}
		}
		path = nextPath(t, e, page)
	}
	if len(seen) != n {
		t.Fatalf("saw %d resources, want %d", len(seen), n)
	}
	for id, c := range seen {
		if c != 1 {
			t.Errorf("%s seen %d times", id, c)
		}
	}
}
