package app

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const rorHS = "https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/ror-healthcareservice"

// A required binding is "not checked" (information) until its value set is stored; once loaded
// through the API, the same resource is refused (no restart: the terminology cache is invalidated
// by the write).
func TestTerminologyLoadChecksBinding(t *testing.T) {
	shared := sharedDir(t)
	srv := startFHIR(t)
	bad := readTestFile(t, "../../profiles/testdata/invalid/code-outside-required-valueset.json")
	a := srv.do(http.MethodPost, "/HealthcareService", bad)
	if a.status != http.StatusCreated {
		t.Fatalf("before the value sets are loaded: want 201, got %d %s", a.status, a.raw)
	}
	srv.loadNOS(shared)
	a = srv.do(http.MethodPost, "/HealthcareService", bad)
	if a.status != http.StatusUnprocessableEntity || !hasIssue(a, "error", "code-invalid", "HealthcareService.type[0].coding[0].code", "not in the required value set") {
		t.Fatalf("after: want 422 code-invalid, got %d %s", a.status, a.raw)
	}
	if a := srv.do(http.MethodPost, "/HealthcareService", readTestFile(t, "../../profiles/testdata/valid/HealthcareService.json")); a.status != http.StatusCreated {
		t.Fatalf("valid resource after loading: %d %s", a.status, a.raw)
	}
}

// With --strict-terminology, a binding to a value set that is not stored is an error.
func TestStrictTerminologyThroughAPI(t *testing.T) {
	shared := sharedDir(t)
	valid := readTestFile(t, "../../profiles/testdata/valid/HealthcareService.json")
	lax := startFHIR(t)
	a := lax.do(http.MethodPost, "/HealthcareService", valid)
	if a.status != http.StatusCreated {
		t.Fatalf("lax: %d %s", a.status, a.raw)
	}
	strict := startFHIR(t, "--strict-terminology=true")
	a = strict.do(http.MethodPost, "/HealthcareService", valid)
	if a.status != http.StatusUnprocessableEntity || !hasIssue(a, "error", "not-supported", "", "cannot be checked") {
		t.Fatalf("strict, nothing loaded: want 422 not-supported, got %d %s", a.status, a.raw)
	}
	strict.loadNOS(shared)
	if a := strict.do(http.MethodPost, "/HealthcareService", valid); a.status != http.StatusCreated {
		t.Fatalf("strict, NOS loaded: %d %s", a.status, a.raw)
	}
}

// --require-profiles: a resource of a profiled type is validated against its ROR profile even
// when it does not declare it; without the flag, only declared profiles are checked.
func TestRequireProfiles(t *testing.T) {
	b := readTestFile(t, "../../profiles/testdata/invalid/missing-required-element.json")
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	delete(m["meta"].(map[string]any), "profile")
	undeclared, _ := json.Marshal(m)
	if a := startFHIR(t).do(http.MethodPost, "/HealthcareService", undeclared); a.status != http.StatusCreated {
		t.Fatalf("without the flag: want 201, got %d %s", a.status, a.raw)
	}
	a := startFHIR(t, "--require-profiles=true").do(http.MethodPost, "/HealthcareService", undeclared)
	if a.status != http.StatusUnprocessableEntity || !hasIssue(a, "error", "required", "HealthcareService.providedBy", "") ||
		!hasIssue(a, "information", "informational", "HealthcareService", "not declared in meta.profile") {
		t.Fatalf("with the flag: want 422, got %d %s", a.status, a.raw)
	}
}

// $validate answers 200 with the OperationOutcome, valid or not, at type and instance level, with
// the resource or a Parameters (mode, profile).
func TestValidateOperation(t *testing.T) {
	srv := startFHIR(t)
	valid := readTestFile(t, "../../profiles/testdata/valid/HealthcareService.json")
	bad := readTestFile(t, "../../profiles/testdata/invalid/missing-required-element.json")

	a := srv.do(http.MethodPost, "/HealthcareService/$validate", bad)
	if a.status != http.StatusOK || a.body["resourceType"] != "OperationOutcome" || !hasIssue(a, "error", "required", "HealthcareService.providedBy", "") {
		t.Fatalf("invalid resource: %d %s", a.status, a.raw)
	}
	a = srv.do(http.MethodPost, "/HealthcareService/$validate", valid)
	if a.status != http.StatusOK || hasIssue(a, "error", "", "", "") {
		t.Fatalf("valid resource: %d %s", a.status, a.raw)
	}
	for _, is := range issues(a) {
		if is["severity"] == "error" {
			t.Fatalf("valid resource has an error: %s", a.raw)
		}
	}
	// general validation requires meta.lastUpdated (the profile says 1..1); mode=create does not
	var m map[string]any
	_ = json.Unmarshal(valid, &m)
	delete(m["meta"].(map[string]any), "lastUpdated")
	noMeta, _ := json.Marshal(m)
	if a := srv.do(http.MethodPost, "/HealthcareService/$validate", noMeta); !hasIssue(a, "error", "required", "", "lastUpdated") {
		t.Fatalf("general validation without lastUpdated: %s", a.raw)
	}
	params := func(res []byte, mode, profile string) []byte {
		ps := []map[string]any{{"name": "resource", "resource": json.RawMessage(res)}}
		if mode != "" {
			ps = append(ps, map[string]any{"name": "mode", "valueCode": mode})
		}
		if profile != "" {
			ps = append(ps, map[string]any{"name": "profile", "valueUri": profile})
		}
		b, _ := json.Marshal(map[string]any{"resourceType": "Parameters", "parameter": ps})
		return b
	}
	if a := srv.do(http.MethodPost, "/HealthcareService/$validate", params(noMeta, "create", "")); a.status != http.StatusOK || hasErrors(a) {
		t.Fatalf("mode=create without lastUpdated: %d %s", a.status, a.raw)
	}
	// the profile parameter applies a profile the resource does not declare
	delete(m["meta"].(map[string]any), "profile")
	m["providedBy"] = nil
	delete(m, "providedBy")
	undeclared, _ := json.Marshal(m)
	if a := srv.do(http.MethodPost, "/HealthcareService/$validate", params(undeclared, "create", "")); hasErrors(a) {
		t.Fatalf("no profile declared nor asked: %s", a.raw)
	}
	if a := srv.do(http.MethodPost, "/HealthcareService/$validate?profile="+url.QueryEscape(rorHS)+"&mode=create", undeclared); !hasIssue(a, "error", "required", "HealthcareService.providedBy", "") {
		t.Fatalf("profile in the URL: %s", a.raw)
	}
	if a := srv.do(http.MethodPost, "/HealthcareService/$validate", params(undeclared, "create", "http://example.org/StructureDefinition/unknown")); !hasIssue(a, "error", "not-supported", "", "not known") {
		t.Fatalf("unknown profile: %s", a.raw)
	}
	if a := srv.do(http.MethodPost, "/HealthcareService/$validate", params(valid, "bogus", "")); a.status != http.StatusBadRequest {
		t.Fatalf("bad mode: %d %s", a.status, a.raw)
	}
	// instance level: the stored resource, a new version (mode=update), a delete
	if a := srv.put(valid); a.status != http.StatusCreated {
		t.Fatalf("store: %d %s", a.status, a.raw)
	}
	id := m["id"].(string)
	if a := srv.do(http.MethodPost, "/HealthcareService/"+id+"/$validate", nil); a.status != http.StatusOK || hasErrors(a) {
		t.Fatalf("instance, stored version: %d %s", a.status, a.raw)
	}
	if a := srv.do(http.MethodPost, "/HealthcareService/"+id+"/$validate", params(bad, "update", "")); a.status != http.StatusOK || !hasIssue(a, "error", "required", "HealthcareService.providedBy", "") {
		t.Fatalf("instance, mode=update: %d %s", a.status, a.raw)
	}
	if a := srv.do(http.MethodPost, "/HealthcareService/"+id+"/$validate?mode=delete", nil); a.status != http.StatusOK || hasErrors(a) {
		t.Fatalf("instance, mode=delete: %d %s", a.status, a.raw)
	}
	if a := srv.do(http.MethodPost, "/HealthcareService/nope/$validate?mode=delete", nil); a.status != http.StatusNotFound {
		t.Fatalf("missing instance: %d %s", a.status, a.raw)
	}
}

func hasErrors(a answer) bool {
	for _, is := range issues(a) {
		if is["severity"] == "error" || is["severity"] == "fatal" {
			return true
		}
	}
	return false
}

// $validate-code and $expand work on the stored value sets, at type and instance level.
func TestTerminologyOperations(t *testing.T) {
	shared := sharedDir(t)
	srv := startFHIR(t)
	const j19 = "https://mos.esante.gouv.fr/NOS/JDV_J19-ModePriseEnCharge-ROR/FHIR/JDV-J19-ModePriseEnCharge-ROR"
	if a := srv.do(http.MethodGet, "/ValueSet/$expand?url="+url.QueryEscape(j19), nil); a.status != http.StatusNotFound {
		t.Fatalf("not loaded: want 404, got %d %s", a.status, a.raw)
	}
	srv.loadNOS(shared)
	a := srv.do(http.MethodGet, "/ValueSet/$expand?url="+url.QueryEscape(j19), nil)
	exp, _ := a.body["expansion"].(map[string]any)
	contains, _ := exp["contains"].([]any)
	if a.status != http.StatusOK || a.body["resourceType"] != "ValueSet" || len(contains) == 0 || exp["total"] != float64(len(contains)) {
		t.Fatalf("$expand: %d %s", a.status, a.raw)
	}
	first := contains[0].(map[string]any)
	system, code, display := first["system"].(string), first["code"].(string), first["display"].(string)
	word := strings.Fields(display)[0]
	a = srv.do(http.MethodGet, "/ValueSet/JDV-J19-ModePriseEnCharge-ROR/$expand?filter="+url.QueryEscape(word)+"&count=1", nil)
	exp, _ = a.body["expansion"].(map[string]any)
	contains, _ = exp["contains"].([]any)
	if a.status != http.StatusOK || len(contains) != 1 || exp["total"].(float64) < 1 || a.body["id"] != "JDV-J19-ModePriseEnCharge-ROR" {
		t.Fatalf("instance $expand with filter: %d %s", a.status, a.raw)
	}
	result := func(a answer) (bool, string) {
		var ok bool
		var msg string
		ps, _ := a.body["parameter"].([]any)
		for _, p := range ps {
			pm := p.(map[string]any)
			switch pm["name"] {
			case "result":
				ok, _ = pm["valueBoolean"].(bool)
			case "message":
				msg, _ = pm["valueString"].(string)
			}
		}
		return ok, msg
	}
	q := url.Values{"url": {j19}, "system": {system}, "code": {code}}
	a = srv.do(http.MethodGet, "/ValueSet/$validate-code?"+q.Encode(), nil)
	if ok, _ := result(a); a.status != http.StatusOK || a.body["resourceType"] != "Parameters" || !ok {
		t.Fatalf("$validate-code of a member: %d %s", a.status, a.raw)
	}
	q.Set("code", "no-such-code")
	a = srv.do(http.MethodGet, "/ValueSet/$validate-code?"+q.Encode(), nil)
	if ok, msg := result(a); a.status != http.StatusOK || ok || msg == "" {
		t.Fatalf("$validate-code of a stranger: %d %s", a.status, a.raw)
	}
	q.Del("url")
	q.Set("code", code)
	if ok, _ := result(srv.do(http.MethodGet, "/ValueSet/JDV-J19-ModePriseEnCharge-ROR/$validate-code?"+q.Encode(), nil)); !ok {
		t.Fatal("instance $validate-code")
	}
	if a := srv.do(http.MethodGet, "/ValueSet/$validate-code?code=x", nil); a.status != http.StatusBadRequest {
		t.Fatalf("no url: %d %s", a.status, a.raw)
	}
	if a := srv.do(http.MethodGet, "/Organization/$expand?url=x", nil); a.status != http.StatusNotFound {
		t.Fatalf("$expand on Organization: %d %s", a.status, a.raw)
	}
	// search by url
	a = srv.do(http.MethodGet, "/ValueSet?url="+url.QueryEscape(j19), nil)
	if a.status != http.StatusOK || a.body["total"] != nil && a.body["total"] != float64(1) || len(a.body["entry"].([]any)) != 1 {
		t.Fatalf("ValueSet?url=: %d %s", a.status, a.raw)
	}
}

// The StructureDefinitions generated from the definitions are served read-only; the
// CapabilityStatement names the profiles and the operations.
func TestConformanceResources(t *testing.T) {
	srv := startFHIR(t)
	a := srv.do(http.MethodGet, "/StructureDefinition/ror-healthcareservice", nil)
	if a.status != http.StatusOK || a.body["url"] != rorHS || a.body["resourceType"] != "StructureDefinition" {
		t.Fatalf("read: %d %s", a.status, a.raw)
	}
	a = srv.do(http.MethodGet, "/StructureDefinition?url="+url.QueryEscape(rorHS), nil)
	if es, _ := a.body["entry"].([]any); a.status != http.StatusOK || len(es) != 1 {
		t.Fatalf("search by url: %d %s", a.status, a.raw)
	}
	a = srv.do(http.MethodGet, "/StructureDefinition", nil)
	if es, _ := a.body["entry"].([]any); len(es) != 52 {
		t.Fatalf("all: %d entries", len(es))
	}
	if a := srv.do(http.MethodGet, "/StructureDefinition/nope", nil); a.status != http.StatusNotFound {
		t.Fatalf("unknown: %d", a.status)
	}
	for _, m := range []string{http.MethodPut, http.MethodDelete} {
		if a := srv.do(m, "/StructureDefinition/ror-healthcareservice", []byte(`{}`)); a.status != http.StatusMethodNotAllowed {
			t.Errorf("%s: %d %s", m, a.status, a.raw)
		}
	}
	if a := srv.do(http.MethodPost, "/StructureDefinition", []byte(`{}`)); a.status != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d %s", a.status, a.raw)
	}
	cs := srv.do(http.MethodGet, "/metadata", nil)
	var capst struct {
		Rest []struct {
			Resource []struct {
				Type             string
				SupportedProfile []string
				Operation        []struct{ Name string }
			}
		}
	}
	if err := json.Unmarshal(cs.raw, &capst); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range capst.Rest[0].Resource {
		var ops []string
		for _, o := range r.Operation {
			ops = append(ops, o.Name)
		}
		got[r.Type] = strings.Join(r.SupportedProfile, ",") + " " + strings.Join(ops, ",")
	}
	if got["HealthcareService"] != rorHS+" validate" || got["ValueSet"] != " validate,validate-code,expand" {
		t.Fatalf("CapabilityStatement: %v", got)
	}
	for _, typ := range []string{"StructureDefinition", "SearchParameter", "CodeSystem", "Task"} {
		if _, ok := got[typ]; !ok {
			t.Errorf("CapabilityStatement lacks %s", typ)
		}
	}
}
