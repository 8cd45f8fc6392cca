package integration

import (
	"fmt"
	"slices"
	"testing"

	"github.com/rorfhir/ror/internal/service"
)

// locAt is a named Location at a position.
func locAt(id string, lat, lon float64) string {
	return fmt.Sprintf(`{"resourceType":"Location","id":%q,"name":"Site %s","position":{"latitude":%g,"longitude":%g}}`, id, id, lat, lon)
}

// TestSearchNearSort: Location?near=...&_sort=near lists the sites nearest first (-near farthest
// first), pages through next links without repeating or skipping a site, and asks for near.
func TestSearchNearSort(t *testing.T) {
	e := newEnv(t, service.Options{Now: steppingClock()})
	// Around Paris Notre-Dame (48.8530, 2.3499); 0.01 degree of latitude is 1.11 km.
	seeds := map[string]string{
		"louvre":     locAt("louvre", 48.8606, 2.3376),     // 1.2 km
		"ndame":      locAt("ndame", 48.8530, 2.3499),      // 0 km
		"ndame2":     locAt("ndame2", 48.8530, 2.3499),     // 0 km: a tie, broken by id
		"eiffel":     locAt("eiffel", 48.8584, 2.2945),     // 4.1 km
		"versailles": locAt("versailles", 48.8049, 2.1204), // 17.6 km
		"orly":       locAt("orly", 48.7262, 2.3652),       // 14.2 km
		"lyon":       locAt("lyon", 45.7640, 4.8357),       // 392 km
		"nowhere":    `{"resourceType":"Location","id":"nowhere","name":"Site nowhere"}`,
	}
	for id, body := range seeds {
		if r := e.do("PUT", "/fhir/Location/"+id, body); r.status != 201 {
			t.Fatalf("seed %s: %d %s", id, r.status, r.body)
		}
	}
	entries := func(ids ...string) string {
		s := `{"resourceType":"Bundle","entry":[`
		for i, id := range ids {
			if i > 0 {
				s += ","
			}
			s += `{"resource":{"id":"` + id + `"}}`
		}
		return s + `]}`
	}
	const near = "near=48.8530|2.3499|20|km"
	e.run([]scenario{
		{name: "nearest first", method: "GET", path: "/fhir/Location?" + near + "&_sort=near", status: 200,
			json: entries("ndame", "ndame2", "louvre", "eiffel", "orly", "versailles")},
		{name: "farthest first", method: "GET", path: "/fhir/Location?" + near + "&_sort=-near", status: 200,
			json: entries("versailles", "orly", "eiffel", "louvre", "ndame", "ndame2")},
		{name: "nearest first, ties by name descending", method: "GET", path: "/fhir/Location?" + near + "&_sort=near,-name", status: 200,
			json: entries("ndame2", "ndame", "louvre", "eiffel", "orly", "versailles")},
		{name: "nearest first with another condition", method: "GET", path: "/fhir/Location?near=48.8530|2.3499|500|km&name=site%20l&_sort=near", status: 200,
			json: entries("louvre", "lyon")},
		{name: "the self link keeps the sort", method: "GET", path: "/fhir/Location?" + near + "&_sort=near&_count=1", status: 200,
			json: `{"link":[{"relation":"self","url":"~_sort=near"},{"relation":"next","url":"~_cursor="}],"entry":[{"resource":{"id":"ndame"}}]}`},
		{name: "_sort=near needs near", method: "GET", path: "/fhir/Location?_sort=near", status: 400,
			json: `{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"required","expression":["_sort"],"diagnostics":"~near is required"}]}`},
		{name: "_sort=near needs one point", method: "GET", path: "/fhir/Location?near=48.85|2.35|5,45.76|4.83|5&_sort=near", status: 400,
			json: `{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","diagnostics":"~exactly one near point"}]}`},
	})

	// Following next links two at a time gives every site once, in distance order.
	for _, tc := range []struct {
		sort string
		want []string
	}{
		{"near", []string{"ndame", "ndame2", "louvre", "eiffel", "orly", "versailles", "lyon"}},
		{"-near", []string{"lyon", "versailles", "orly", "eiffel", "louvre", "ndame", "ndame2"}},
	} {
		var got []string
		path := "/fhir/Location?near=48.8530|2.3499|1000|km&_count=2&_sort=" + tc.sort
		for pages := 0; path != ""; pages++ {
			if pages > 10 {
				t.Fatal("paging does not end")
			}
			res := e.do("GET", path, "")
			if res.status != 200 {
				t.Fatalf("GET %s: %d %s", path, res.status, res.body)
			}
			page := res.json(t)
			es, _ := page["entry"].([]any)
			for _, en := range es {
				got = append(got, en.(map[string]any)["resource"].(map[string]any)["id"].(string))
			}
			path = nextPath(t, e, page)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("_sort=%s through next links: %v, want %v", tc.sort, got, tc.want)
		}
	}
}
