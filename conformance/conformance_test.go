package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rorfhir/ror/profiles"
)

// keepDir: set ROR_CONFORMANCE_OUT=DIR to keep the collected answers and the report there.
func answersDir(t *testing.T) string {
	if d := os.Getenv("ROR_CONFORMANCE_OUT"); d != "" {
		if err := os.RemoveAll(d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return filepath.Join(t.TempDir(), "answers")
}

// TestConformance is the suite: it starts the server, loads the IG examples and the generated
// dataset, collects every kind of answer, has the public validators check them all, then runs
// fhir-kit-client against the server.
func TestConformance(t *testing.T) {
	shared, err := SharedDir()
	if err != nil {
		t.Fatal(err)
	}
	node := testNode(t)
	term := testTerminology(t)
	base := startServer(t)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()

	dir := answersDir(t)
	c, err := NewCollector(base, dir, &http.Client{Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s := &scenario{t: t, c: c, ctx: ctx, term: term, shared: shared}
	s.run()

	// What the profiles package generates is what the server serves as StructureDefinitions:
	// validate it too, whether or not the server serves it yet.
	s.generatedStructureDefinitions(filepath.Join(dir, "generated"))

	t.Logf("collected %d answers in %s (by status: %v)", len(c.Exchanges), dir, c.Counts())
	for _, p := range c.Problems() {
		t.Errorf("protocol: %s", p)
	}
	for _, n := range s.notes {
		t.Logf("note: %s", n)
	}

	rep, err := node.Validate(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("validators: %s", strings.TrimSpace(firstLine(rep.Summary)))
	t.Logf("by type: %v; suppressed by documented filters: %v", rep.ByType, rep.Suppressed)
	for _, f := range rep.Errors {
		t.Errorf("validator: %s", f)
	}
	if rep.Files < 50 {
		t.Errorf("only %d answers validated: the collection is incomplete", rep.Files)
	}

	t.Run("fhir-kit-client", func(t *testing.T) {
		fixtures := filepath.Join(t.TempDir(), "fixtures.json")
		writeJSON(t, fixtures, ClientFixtures(term, 5))
		out, err := node.RunClient(ctx, base, fixtures)
		t.Log("\n" + out)
		if err != nil {
			t.Fatal(err)
		}
	})
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

type scenario struct {
	t      *testing.T
	c      *Collector
	ctx    context.Context
	term   *Terminology
	shared string
	notes  []string
	loaded []Resource // everything loaded, as sent (ids set)
}

func (s *scenario) note(format string, a ...any) {
	s.notes = append(s.notes, fmt.Sprintf(format, a...))
}

func (s *scenario) do(r Request) *Exchange {
	s.t.Helper()
	ex, err := s.c.Do(s.ctx, r)
	if err != nil {
		s.t.Fatal(err)
	}
	return ex
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func path(r Resource) string { return fmt.Sprintf("%s/%s", r["resourceType"], r["id"]) }

func (s *scenario) run() {
	s.metadata()
	s.probeProfiles()
	s.loadTerminology()
	s.loadExamples()
	s.loadDataset()
	created := s.creates()
	s.updates(created)
	s.reads()
	s.searches()
	s.histories()
	s.deletes()
	s.bundles()
	s.errors()
	s.conformanceResources()
}

func (s *scenario) metadata() {
	ex := s.do(Request{Name: "metadata", Path: "metadata", Want: []int{200}})
	cs := ex.Resource()
	if cs["resourceType"] != "CapabilityStatement" || cs["fhirVersion"] != "4.0.1" {
		s.t.Errorf("metadata: %v fhirVersion %v, want a CapabilityStatement for 4.0.1", cs["resourceType"], cs["fhirVersion"])
	}
	s.do(Request{Name: "metadata-format-json", Path: "metadata?_format=json", Want: []int{200}})
	// supportedProfile per profiled type, the operations, the conformance resources.
	var missing []string
	ops := map[string][]string{}
	for _, rest := range asList(cs["rest"]) {
		for _, res := range asList(rest.(map[string]any)["resource"]) {
			r := res.(map[string]any)
			typ := fmt.Sprint(r["type"])
			if slices.Contains(types, typ) && !slices.Contains(asList(r["supportedProfile"]), any(RORSD+rorProfileID(typ))) {
				missing = append(missing, typ)
			}
			for _, o := range asList(r["operation"]) {
				ops[typ] = append(ops[typ], fmt.Sprint(o.(map[string]any)["name"]))
			}
		}
	}
	if len(missing) > 0 {
		s.t.Errorf("the CapabilityStatement lists no ROR supportedProfile for %v", missing)
	}
	if !slices.Contains(ops["Organization"], "validate") || !slices.Contains(ops["ValueSet"], "validate-code") || !slices.Contains(ops["ValueSet"], "expand") {
		s.t.Errorf("the CapabilityStatement lacks $validate, $validate-code or $expand: %v", ops)
	}
	for _, typ := range []string{"StructureDefinition", "SearchParameter", "ValueSet", "CodeSystem"} {
		if _, ok := ops[typ]; !ok && !strings.Contains(string(ex.Body), `"type":"`+typ+`"`) {
			s.t.Errorf("the CapabilityStatement does not list %s", typ)
		}
	}
}

// rorProfileID is the id of the ROR profile of a profiled type (ror-healthcareservice...).
func rorProfileID(typ string) string { return "ror-" + strings.ToLower(typ) }

// nonConformant is an Organization that declares ror-organization but lacks its required
// ror-meta-creation-date extension.
func nonConformant() Resource {
	return Resource{"resourceType": "Organization", "meta": Resource{"profile": []any{RORSD + "ror-organization"}}, "name": "Sans extension obligatoire"}
}

// probeProfiles checks that the server validates writes against the ROR profiles: a
// non-conformant ror-organization must be refused with 422.
func (s *scenario) probeProfiles() {
	probe := nonConformant()
	probe["id"] = "conf-probe"
	s.do(Request{Name: "probe-profile", Method: "PUT", Path: "Organization/conf-probe", Body: mustJSON(probe), Want: []int{422}})
}

// loadTerminology stores the NOS value sets and code systems through the API, so that the server
// checks the required bindings of everything loaded next.
func (s *scenario) loadTerminology() {
	files, err := filepath.Glob(filepath.Join(s.shared, "nos", "fhir", "*", "*.json"))
	if err != nil || len(files) < 50 {
		s.t.Fatalf("NOS files not found under %s/nos/fhir", s.shared)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			s.t.Fatal(err)
		}
		b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
		var r Resource
		if err := json.Unmarshal(b, &r); err != nil {
			s.t.Fatalf("%s: %v", f, err)
		}
		if fix, ok := nosDefects[fmt.Sprint(r["id"])]; ok {
			fix(r)
			b = mustJSON(r)
		}
		s.do(Request{Name: "put-nos-" + fmt.Sprint(r["resourceType"]), Method: "PUT", Path: path(r), Body: b, Want: []int{201}})
	}
}

// nosDefects are the NOS files that break an R4 invariant as published (documented in
// shared/nos/fhir/INDEX.md), with the smallest fix the suite applies before loading them. The
// server stores them as given (it checks no ValueSet invariant): the validators would flag them.
var nosDefects = map[string]func(r Resource){
	// vsd-1: the only compose.include has no system; codes 001/002 are TRE_R340's.
	"JDV-J228-TypeCaracteristiqueEquipement-ROR": func(r Resource) {
		for _, inc := range asList(r["compose"].(map[string]any)["include"]) {
			if m := inc.(map[string]any); m["system"] == nil {
				m["system"] = "https://mos.esante.gouv.fr/NOS/TRE_R340-TypeCaracteristiqueEquipement/FHIR/TRE-R340-TypeCaracteristiqueEquipement"
			}
		}
	},
}

// exampleDefects are the IG examples that do not conform to the IG's own profiles (documented in
// profiles/defs/README.md): a server validating profiles must refuse them with 422 naming the
// element (profileErrors), and the suite then loads them with the smallest fix so that they still
// take part in the reads and searches.
var exampleDefects = map[string]struct {
	element string
	fix     func(s *scenario, r Resource)
}{
	// No care mode (J19): characteristic:careMode is 1..1 in ror-healthcareservice.
	"HealthcareService-1234564.json": {"HealthcareService.characteristic:careMode", func(s *scenario, r Resource) {
		r["characteristic"] = append(r["characteristic"].([]any), cc(s.term.Pick("J19", 0)))
	}},
}

// loadExamples PUTs the IG examples with their ids and checks they come back as sent.
func (s *scenario) loadExamples() {
	files, err := filepath.Glob(filepath.Join(s.shared, "ror-ig", "examples", "*.json"))
	if err != nil || len(files) == 0 {
		s.t.Fatalf("no IG example in %s/ror-ig/examples", s.shared)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			s.t.Fatal(err)
		}
		var r Resource
		if err := json.Unmarshal(b, &r); err != nil {
			s.t.Fatalf("%s: %v", f, err)
		}
		if d, ok := exampleDefects[filepath.Base(f)]; ok {
			// refused as published (see profileErrors): loaded with the smallest fix
			d.fix(s, r)
			b = mustJSON(r)
		}
		ex := s.do(Request{Name: "put-example-" + fmt.Sprint(r["resourceType"]), Method: "PUT", Path: path(r), Body: b, Want: []int{200, 201}})
		if ex.Status/100 == 2 {
			s.loaded = append(s.loaded, r)
			s.sameContent(ex.Resource(), r, "PUT "+path(r))
		}
	}
}

// sameContent checks that what the server returns equals what was sent, but for the meta elements
// the server sets.
func (s *scenario) sameContent(got, sent Resource, what string) {
	strip := func(r Resource) Resource {
		var c Resource
		_ = json.Unmarshal(mustJSON(r), &c)
		if m, ok := c["meta"].(map[string]any); ok {
			delete(m, "versionId")
			delete(m, "lastUpdated")
			if len(m) == 0 {
				delete(c, "meta")
			}
		}
		return c
	}
	if g, w := strip(got), strip(sent); !reflect.DeepEqual(g, w) {
		s.t.Errorf("%s: the server's answer differs from what was sent:\n got %s\nsent %s", what, mustJSON(g), mustJSON(w))
	}
}

func (s *scenario) loadDataset() {
	for _, r := range GenerateDataset(s.term, DefaultDatasetSize) {
		ex := s.do(Request{Name: "put-new-" + fmt.Sprint(r["resourceType"]), Method: "PUT", Path: path(r), Body: mustJSON(r), Want: []int{201}})
		if ex.Status == 201 {
			s.loaded = append(s.loaded, r)
			if loc := ex.Header.Get("Location"); !strings.Contains(loc, path(r)+"/_history/1") {
				s.t.Errorf("PUT %s (create): Location %q", path(r), loc)
			}
		}
	}
}

// creates POSTs resources with server-assigned ids, in the three Prefer return modes.
func (s *scenario) creates() []Resource {
	var out []Resource
	for i, f := range ClientFixtures(s.term, 4) {
		req := Request{Name: "post-create", Method: "POST", Path: "Organization", Body: mustJSON(f), Want: []int{201}}
		switch i {
		case 1:
			req.Name, req.Header = "post-create-minimal", map[string]string{"Prefer": "return=minimal"}
		case 2:
			req.Name, req.Header = "post-create-outcome", map[string]string{"Prefer": "return=OperationOutcome"}
		}
		ex := s.do(req)
		loc := ex.Header.Get("Location")
		u, err := url.Parse(loc)
		if ex.Status != 201 || err != nil || !strings.Contains(u.Path, "/Organization/") {
			s.t.Errorf("POST Organization: status %d, Location %q", ex.Status, loc)
			continue
		}
		id := strings.Split(strings.SplitN(u.Path, "/Organization/", 2)[1], "/")[0]
		f["id"] = id
		out = append(out, f)
		s.loaded = append(s.loaded, f)
		switch i {
		case 1:
			if len(ex.Body) != 0 {
				s.t.Errorf("POST with Prefer: return=minimal answered a body: %.200s", ex.Body)
			}
		case 2:
			if ex.Resource()["resourceType"] != "OperationOutcome" {
				s.t.Errorf("POST with Prefer: return=OperationOutcome answered %.200s", ex.Body)
			}
		default:
			if got := ex.Resource(); got["id"] != id {
				s.t.Errorf("POST: body id %v, Location id %s", got["id"], id)
			}
		}
	}
	// Conditional create of something that exists: 200, nothing created.
	if len(out) > 0 {
		ident := out[0]["identifier"].([]any)[0].(Resource)
		q := fmt.Sprintf("identifier=%s|%s", ident["system"], ident["value"])
		s.do(Request{Name: "post-conditional-existing", Method: "POST", Path: "Organization", Body: mustJSON(out[0]),
			Header: map[string]string{"If-None-Exist": q}, Want: []int{200}})
	}
	return out
}

func (s *scenario) updates(created []Resource) {
	if len(created) == 0 {
		return
	}
	r := created[0]
	r["name"] = fmt.Sprint(r["name"]) + " (v2)"
	s.do(Request{Name: "put-update-if-match", Method: "PUT", Path: path(r), Body: mustJSON(r), Header: map[string]string{"If-Match": `W/"1"`}, Want: []int{200}})
	r["name"] = fmt.Sprint(r["name"]) + " (v3)"
	s.do(Request{Name: "put-update-outcome", Method: "PUT", Path: path(r), Body: mustJSON(r),
		Header: map[string]string{"Prefer": "return=OperationOutcome"}, Want: []int{200}})
	s.do(Request{Name: "put-update-stale", Method: "PUT", Path: path(r), Body: mustJSON(r), Header: map[string]string{"If-Match": `W/"1"`}, Want: []int{412}})
}

// reads reads every loaded resource and its first version.
func (s *scenario) reads() {
	for _, r := range s.loaded {
		ex := s.do(Request{Name: "read-" + fmt.Sprint(r["resourceType"]), Path: path(r), Want: []int{200}})
		if ex.Status == 200 && ex.Header.Get("ETag") == "" {
			s.t.Errorf("GET %s: no ETag", path(r))
		}
		s.do(Request{Name: "vread-" + fmt.Sprint(r["resourceType"]), Path: path(r) + "/_history/1", Want: []int{200}})
	}
	if len(s.loaded) > 0 {
		r := s.loaded[0]
		ex := s.do(Request{Name: "read-etag", Path: path(r), Want: []int{200}})
		s.do(Request{Name: "read-if-none-match", Path: path(r), Header: map[string]string{"If-None-Match": ex.Header.Get("ETag")}, Want: []int{304}})
		s.do(Request{Name: "read-summary-true", Path: path(r) + "?_summary=true", Want: []int{200}})
	}
}

var types = []string{"Organization", "Location", "HealthcareService", "Practitioner", "PractitionerRole"}

func (s *scenario) searches() {
	want := map[string]int{}
	for _, r := range s.loaded {
		want[fmt.Sprint(r["resourceType"])]++
	}
	for _, typ := range types {
		got, err := s.c.Pages(s.ctx, "search-"+typ, typ+"?_count=4", "searchset", 50)
		if err != nil {
			s.t.Fatal(err)
		}
		if len(got) != want[typ] {
			s.t.Errorf("search %s?_count=4 through every page: %d resources, want %d", typ, len(got), want[typ])
		}
		ex := s.do(Request{Name: "search-summary-count-" + typ, Path: typ + "?_summary=count", Want: []int{200}})
		if total, ok := ex.Resource()["total"].(float64); ex.Status == 200 && (!ok || int(total) != want[typ]) {
			s.t.Errorf("GET %s?_summary=count: total %v, want %d", typ, ex.Resource()["total"], want[typ])
		}
	}
	org := GenerateDataset(s.term, DefaultDatasetSize)[0]
	ident := org["identifier"].([]any)[0].(Resource)
	tag := org["meta"].(Resource)["tag"].([]any)[0].(Coding)
	sameTag := 0
	for _, r := range s.loaded {
		if r["resourceType"] != "Organization" {
			continue
		}
		if m, ok := r["meta"].(Resource); ok {
			for _, tg := range m["tag"].([]any) {
				if c, ok := tg.(Coding); ok && c == tag {
					sameTag++
				}
			}
		}
	}
	s.do(Request{Name: "search-post", Method: "POST", Path: "Organization/_search", Body: []byte("_id=" + fmt.Sprint(org["id"])),
		Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, Want: []int{200}})
	queries := []struct {
		q    string
		want int // matches expected; -1: not checked
	}{
		{"Organization?_id=" + fmt.Sprint(org["id"]), 1},
		{"Organization?identifier=" + url.QueryEscape(fmt.Sprintf("%s|%s", ident["system"], ident["value"])), 1},
		{"Organization?_tag=" + url.QueryEscape(tag.System+"|"+tag.Code), sameTag},
		{"Location?_profile=" + url.QueryEscape(RORSD+"ror-location"), want["Location"]},
		{"HealthcareService?_lastUpdated=ge2000-01-01&_sort=-_lastUpdated&_count=3", 3},
		{"Practitioner?_lastUpdated=lt2000-01-01", 0},
		{"Organization?name=groupement", DefaultDatasetSize.EJ},
		{"Organization?partof=Organization/" + fmt.Sprint(org["id"]), DefaultDatasetSize.EGPerEJ},
		{"Organization?unknown-parameter=x", want["Organization"]},
	}
	for i, q := range queries {
		ex := s.do(Request{Name: fmt.Sprintf("search-q%d", i), Path: q.q, Want: []int{200}})
		if ex.Status != 200 || q.want < 0 {
			continue
		}
		var b struct {
			Entry []struct {
				Search struct {
					Mode string `json:"mode"`
				} `json:"search"`
			} `json:"entry"`
		}
		_ = json.Unmarshal(ex.Body, &b)
		n := 0
		for _, e := range b.Entry {
			if e.Search.Mode == "match" {
				n++
			}
		}
		if n != q.want {
			s.t.Errorf("GET %s: %d matches, want %d", q.q, n, q.want)
		}
	}
}

func (s *scenario) histories() {
	if len(s.loaded) == 0 {
		return
	}
	r := s.loaded[len(s.loaded)-1]
	s.do(Request{Name: "history-instance", Path: path(r) + "/_history", Want: []int{200}})
	for _, typ := range types {
		if _, err := s.c.Pages(s.ctx, "history-type-"+typ, typ+"/_history?_count=5", "history", 50); err != nil {
			s.t.Fatal(err)
		}
	}
	got, err := s.c.Pages(s.ctx, "history-system", "_history?_count=10", "history", 50)
	if err != nil {
		s.t.Fatal(err)
	}
	if len(got) < len(s.loaded) {
		s.t.Errorf("system history through every page: %d versions, want at least %d", len(got), len(s.loaded))
	}
	s.do(Request{Name: "history-since", Path: "_history?_since=2000-01-01T00:00:00Z&_count=3", Want: []int{200}})
	s.do(Request{Name: "history-at", Path: "Organization/_history?_at=" + url.QueryEscape(time.Now().UTC().Format(time.RFC3339)), Want: []int{200}})
}

func (s *scenario) deletes() {
	var victim Resource
	for _, r := range s.loaded {
		if r["resourceType"] == "PractitionerRole" {
			victim = r
		}
	}
	if victim == nil {
		return
	}
	s.do(Request{Name: "delete", Method: "DELETE", Path: path(victim), Want: []int{200, 204}})
	s.do(Request{Name: "read-deleted", Path: path(victim), Want: []int{410}})
	s.do(Request{Name: "vread-before-delete", Path: path(victim) + "/_history/1", Want: []int{200}})
	s.do(Request{Name: "history-deleted", Path: path(victim) + "/_history", Want: []int{200}})
}

// errors collects the OperationOutcomes of the error paths.
func (s *scenario) errors() {
	var org Resource
	for _, r := range s.loaded {
		if r["resourceType"] == "Organization" && org == nil {
			org = r
		}
	}
	if org == nil {
		s.t.Error("no Organization was loaded: the error paths that need one are skipped")
		org = Resource{"resourceType": "Organization", "id": "missing"}
	}
	loc := Resource{"resourceType": "Location", "name": "x"}
	cases := []Request{
		{Name: "err-unknown-id", Path: "Organization/does-not-exist", Want: []int{404}},
		{Name: "err-unknown-type", Path: "Patient/1", Want: []int{404}},
		{Name: "err-unknown-version", Path: path(org) + "/_history/999", Want: []int{404}},
		{Name: "err-not-json", Method: "POST", Path: "Organization", Body: []byte(`{"resourceType": "Organization", `), Want: []int{400}},
		{Name: "err-type-mismatch", Method: "POST", Path: "Organization", Body: mustJSON(loc), Want: []int{400}},
		{Name: "err-id-mismatch", Method: "PUT", Path: "Location/abc", Body: mustJSON(Resource{"resourceType": "Location", "id": "xyz"}), Want: []int{400}},
		{Name: "err-bad-id", Method: "PUT", Path: "Location/bad_id!", Body: mustJSON(Resource{"resourceType": "Location", "id": "bad_id!"}), Want: []int{400}},
		{Name: "err-bad-primitive", Method: "POST", Path: "Organization", Body: []byte(`{"resourceType":"Organization","active":"yes"}`), Want: []int{400}},
		{Name: "err-bad-count", Path: "Organization?_count=abc", Want: []int{400}},
		{Name: "err-bad-cursor", Path: "_history?_cursor=garbage", Want: []int{400}},
		{Name: "err-accept-xml", Path: "Organization/" + fmt.Sprint(org["id"]), Header: map[string]string{"Accept": "application/fhir+xml"}, Want: []int{406}},
		{Name: "err-format-xml", Path: "metadata?_format=xml", Want: []int{406}},
		{Name: "err-content-type-xml", Method: "POST", Path: "Organization", Body: []byte(`<Organization xmlns="http://hl7.org/fhir"/>`), Header: map[string]string{"Content-Type": "application/fhir+xml"}, Want: []int{415}},
		{Name: "err-stale-if-match", Method: "PUT", Path: path(org), Body: mustJSON(org), Header: map[string]string{"If-Match": `W/"99"`}, Want: []int{412}},
		{Name: "err-type-delete", Method: "DELETE", Path: "Organization", Want: []int{405}},
		{Name: "err-type-patch", Method: "PATCH", Path: "Organization?name=x", Body: []byte(`[]`), Header: map[string]string{"Content-Type": "application/json-patch+json"}, Want: []int{405}},
	}
	for _, r := range cases {
		s.do(r)
	}
	s.profileErrors()
}

// profileErrors collects the 422 answers of profile validation.
func (s *scenario) profileErrors() {
	s.do(Request{Name: "err-profile", Method: "POST", Path: "Organization", Body: mustJSON(nonConformant()), Want: []int{422}})
	for file, d := range exampleDefects {
		b, err := os.ReadFile(filepath.Join(s.shared, "ror-ig", "examples", file))
		if err != nil {
			s.t.Fatal(err)
		}
		var r Resource
		if err := json.Unmarshal(b, &r); err != nil {
			s.t.Fatal(err)
		}
		ex := s.do(Request{Name: "err-example-defect", Method: "PUT", Path: path(r), Body: b, Want: []int{422}})
		if !strings.Contains(string(ex.Body), d.element) {
			s.t.Errorf("PUT %s (documented IG defect): the 422 does not name %s: %.300s", path(r), d.element, ex.Body)
		}
	}
}

// conformanceResources collects the StructureDefinitions, SearchParameters, ValueSets and
// CodeSystems the server serves, and the answers of the operations.
func (s *scenario) conformanceResources() {
	for _, typ := range []string{"StructureDefinition", "SearchParameter", "ValueSet", "CodeSystem"} {
		s.do(Request{Name: "search-" + typ, Path: typ + "?_count=100", Want: []int{200}})
		if _, err := s.c.Pages(s.ctx, "pages-"+typ, typ+"?_count=20", "searchset", 50); err != nil {
			s.t.Fatal(err)
		}
	}
	ex := s.do(Request{Name: "search-sd-url", Path: "StructureDefinition?url=" + url.QueryEscape(RORSD+"ror-organization"), Want: []int{200}})
	if n := len(asList(ex.Resource()["entry"])); n != 1 {
		s.t.Errorf("StructureDefinition?url=ror-organization: %d entries, want 1", n)
	}
	sd := s.do(Request{Name: "read-sd", Path: "StructureDefinition/ror-organization", Want: []int{200}})
	s.do(Request{Name: "err-sd-write", Method: "PUT", Path: "StructureDefinition/ror-organization", Body: sd.Body, Want: []int{405}})
	s.do(Request{Name: "read-sp", Path: "SearchParameter/ror-sp-organization-period-end", Want: []int{200}})
	s.operations()
}

// generatedStructureDefinitions writes the StructureDefinitions the profiles package generates.
func (s *scenario) generatedStructureDefinitions(dir string) {
	defs, err := profiles.LoadDefinitions()
	if err != nil {
		s.t.Fatal(err)
	}
	sds, err := defs.StructureDefinitions()
	if err != nil {
		s.t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		s.t.Fatal(err)
	}
	names := make([]string, 0, len(sds))
	for i, sd := range sds {
		var head struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(sd, &head)
		name := fmt.Sprintf("StructureDefinition-%02d-%s.json", i, unsafeName.ReplaceAllString(head.ID, "_"))
		if err := os.WriteFile(filepath.Join(dir, name), sd, 0o644); err != nil {
			s.t.Fatal(err)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	s.note("%d generated StructureDefinitions (profiles package) added to the validation", len(names))
}
