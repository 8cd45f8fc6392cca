package integration

import (
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rorfhir/ror/internal/service"
)

// rorSeed writes a small ROR tree: an EJ, two EGs under it, Locations, HealthcareServices,
// PractitionerRoles and a Practitioner; every write is one second after the previous one.
func rorSeed(t *testing.T, e *env) {
	t.Helper()
	rorSD := "https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/"
	for _, w := range []struct{ path, body string }{
		{"/fhir/Organization/ej", `{"resourceType":"Organization","id":"ej","name":"Entité juridique Hôpital"}`},
		{"/fhir/Organization/eg1", `{"resourceType":"Organization","id":"eg1","name":"Hôpital Bénédicte","partOf":{"reference":"Organization/ej"}}`},
		{"/fhir/Organization/eg2", `{"resourceType":"Organization","id":"eg2","name":"Clinique du Parc","partOf":{"reference":"Organization/ej"}}`},
		{"/fhir/Location/l1", `{"resourceType":"Location","id":"l1","managingOrganization":{"reference":"Organization/eg1"},
			"identifier":[{"system":"urn:loc","value":"L1"}],"position":{"latitude":48.8566,"longitude":2.3522},
			"extension":[{"url":"` + rorSD + `ror-location-supported-capacity","extension":[{"url":"capacityStatus","valueCodeableConcept":{"coding":[{"system":"urn:cs","code":"open"}]}},{"url":"nbCapacity","valueInteger":12}]}]}`},
		{"/fhir/Location/l2", `{"resourceType":"Location","id":"l2","managingOrganization":{"reference":"Organization/eg2"},
			"identifier":[{"system":"urn:loc","value":"L2"}],"position":{"latitude":45.764,"longitude":4.8357}}`},
		{"/fhir/HealthcareService/hs1", `{"resourceType":"HealthcareService","id":"hs1","name":"Cardiologie","providedBy":{"reference":"Organization/eg1"},"location":[{"reference":"Location/l1"}]}`},
		{"/fhir/HealthcareService/hs2", `{"resourceType":"HealthcareService","id":"hs2","name":"Pédiatrie","providedBy":{"reference":"Organization/eg2"},"location":[{"reference":"Location/l2"}]}`},
		{"/fhir/Practitioner/p1", `{"resourceType":"Practitioner","id":"p1","name":[{"family":"Dupont"}]}`},
		{"/fhir/PractitionerRole/pr1", `{"resourceType":"PractitionerRole","id":"pr1","practitioner":{"reference":"Practitioner/p1"},
			"healthcareService":[{"reference":"HealthcareService/hs1"}],"code":[{"coding":[{"system":"urn:role","code":"nurse"}]}]}`},
	} {
		if r := e.do("PUT", w.path, w.body); r.status != 201 {
			t.Fatalf("PUT %s: %d %s", w.path, r.status, r.body)
		}
	}
}

// entries returns "mode:Type/id" of a searchset, sorted (outcomes as "outcome").
func entries(t *testing.T, r response) []string {
	t.Helper()
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var out []string
	es, _ := r.json(t)["entry"].([]any)
	for _, x := range es {
		en := x.(map[string]any)
		res := en["resource"].(map[string]any)
		mode := en["search"].(map[string]any)["mode"].(string)
		if mode == "outcome" {
			out = append(out, "outcome")
			continue
		}
		out = append(out, mode+":"+res["resourceType"].(string)+"/"+res["id"].(string))
	}
	sort.Strings(out)
	return out
}

func TestRORConsumerQueries(t *testing.T) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	e := newEnv(t, service.Options{Now: steppingClock()})
	rorSeed(t, e)
	at := func(s int) string {
		return url.QueryEscape(start.Add(time.Duration(s) * time.Second).Format(time.RFC3339))
	}
	// eg2 changes after everything else: hs2 is in the delta through its organization.
	if r := e.do("PUT", "/fhir/Organization/eg2", `{"resourceType":"Organization","id":"eg2","name":"Clinique du Parc (nouveau)","partOf":{"reference":"Organization/ej"}}`); r.status != 200 {
		t.Fatalf("update eg2: %d %s", r.status, r.body)
	}
	for _, tc := range []struct {
		name, query string
		want        []string
	}{
		{"delta with _filter, _include, _include:iterate, _revinclude",
			"/fhir/HealthcareService?_filter=" + url.QueryEscape("(_lastUpdated ge "+start.Add(10*time.Second).Format(time.RFC3339)+" or organization._lastUpdated ge "+start.Add(10*time.Second).Format(time.RFC3339)+")") +
				"&_include=HealthcareService:organization&_include:iterate=Organization:partof&_include=HealthcareService:location&_revinclude=PractitionerRole:service&_include=PractitionerRole:practitioner",
			[]string{"include:Location/l2", "include:Organization/eg2", "include:Organization/ej", "match:HealthcareService/hs2"}},
		{"full delta from the start",
			"/fhir/HealthcareService?_filter=" + url.QueryEscape("(_lastUpdated ge 2024-01-01 or organization._lastUpdated ge 2024-01-01)") +
				"&_include=HealthcareService:organization&_include:iterate=Organization:partof&_include=HealthcareService:location&_revinclude=PractitionerRole:service&_include=PractitionerRole:practitioner",
			[]string{"include:Location/l1", "include:Location/l2", "include:Organization/eg1", "include:Organization/eg2", "include:Organization/ej",
				"include:Practitioner/p1", "include:PractitionerRole/pr1", "match:HealthcareService/hs1", "match:HealthcareService/hs2"}},
		{"capacity", "/fhir/Location?_lastUpdated=ge" + at(4) + "&_revinclude=HealthcareService:location",
			[]string{"include:HealthcareService/hs1", "include:HealthcareService/hs2", "match:Location/l1", "match:Location/l2"}},
		{"capacity by identifier", "/fhir/Location?identifier=urn:loc|L2&_revinclude=HealthcareService:location",
			[]string{"include:HealthcareService/hs2", "match:Location/l2"}},
		{"chain name accent-insensitive", "/fhir/HealthcareService?organization.name=hopital%20benedicte", []string{"match:HealthcareService/hs1"}},
		{"chain _lastUpdated", "/fhir/HealthcareService?organization._lastUpdated=ge" + at(10), []string{"match:HealthcareService/hs2"}},
		{"chain of three links", "/fhir/PractitionerRole?service.organization.partof.name=entite", []string{"match:PractitionerRole/pr1"}},
		{"_has role", "/fhir/HealthcareService?_has:PractitionerRole:service:role=nurse", []string{"match:HealthcareService/hs1"}},
		{"_has location identifier", "/fhir/Location?_has:HealthcareService:location:identifier=none", nil},
		{"_has location name", "/fhir/Location?_has:HealthcareService:location:name=pedia", []string{"match:Location/l2"}},
		{"near 10 km", "/fhir/Location?near=48.85|2.35|10|km", []string{"match:Location/l1"}},
		{"ROR capacity-status", "/fhir/Location?capacity-status=urn:cs|open", []string{"match:Location/l1"}},
		{"ROR nb-capacity", "/fhir/Location?nb-capacity=gt10", []string{"match:Location/l1"}},
		{"_include *", "/fhir/Location?_id=l1&_include=*", []string{"include:Organization/eg1", "match:Location/l1"}},
		{"include of a match is not repeated", "/fhir/Organization?_include=Organization:partof", []string{"match:Organization/eg1", "match:Organization/eg2", "match:Organization/ej"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := entries(t, e.do("GET", tc.query, ""))
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestSearchPostAndHandling(t *testing.T) {
	e := newEnv(t, service.Options{Now: steppingClock()})
	rorSeed(t, e)
	get := e.do("GET", "/fhir/Organization?name=clin&_include=Organization:partof", "")
	post := e.do("POST", "/fhir/Organization/_search", "name=clin&_include=Organization:partof", "Content-Type: application/x-www-form-urlencoded")
	if g, p := entries(t, get), entries(t, post); !slices.Equal(g, p) || len(g) != 2 {
		t.Errorf("GET %v, POST _search %v", g, p)
	}
	lenient := e.do("GET", "/fhir/Organization?name=clin&foo=bar", "")
	if got := entries(t, lenient); !slices.Equal(got, []string{"match:Organization/eg2", "outcome"}) {
		t.Errorf("lenient: %v", got)
	}
	if self := lenient.json(t)["link"].([]any)[0].(map[string]any)["url"].(string); strings.Contains(self, "foo") {
		t.Errorf("self link keeps the ignored parameter: %s", self)
	}
	if r := e.do("GET", "/fhir/Organization?name=clin&foo=bar", "", "Prefer: handling=strict"); r.status != 400 || !strings.Contains(string(r.body), "foo") {
		t.Errorf("strict: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/fhir/HealthcareService?_filter="+url.QueryEscape("name ew x"), ""); r.status != 400 || !strings.Contains(string(r.body), "ew") {
		t.Errorf("unsupported _filter: %d %s", r.status, r.body)
	}
}

func TestSearchParameterEndpoints(t *testing.T) {
	e := newEnv(t, service.Options{})
	r := e.do("GET", "/fhir/SearchParameter/ror-sp-capacity-status", "")
	if r.status != 200 || !strings.Contains(string(r.body), `"code":"capacity-status"`) || !strings.Contains(string(r.body), "Server fix") {
		t.Errorf("read: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/fhir/SearchParameter/nope", ""); r.status != 404 {
		t.Errorf("unknown: %d", r.status)
	}
	got := entries(t, e.do("GET", "/fhir/SearchParameter?base=Organization&code=price-amount-value,oi-name", ""))
	want := []string{"match:SearchParameter/ror-sp-organization-oi-name", "match:SearchParameter/ror-sp-organization-price-amount-value"}
	if !slices.Equal(got, want) {
		t.Errorf("search: %v", got)
	}
	all := e.do("GET", "/fhir/SearchParameter?url="+url.QueryEscape("https://interop.esante.gouv.fr/ig/fhir/ror/SearchParameter/ror-sp-nb-capacity"), "")
	if n := len(entries(t, all)); n != 1 {
		t.Errorf("by url: %d", n)
	}
	cs := string(e.do("GET", "/fhir/metadata", "").body)
	if !strings.Contains(cs, `"definition":"https://interop.esante.gouv.fr/ig/fhir/ror/SearchParameter/ror-sp-capacity-status"`) {
		t.Errorf("CapabilityStatement lacks the ROR parameters")
	}
}
