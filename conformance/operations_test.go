package conformance

import (
	"fmt"
	"net/url"
	"strings"
)

// operations collects the answers of $validate (OperationOutcomes, valid or not, with the
// resource or a Parameters), ValueSet/$validate-code (Parameters) and ValueSet/$expand (ValueSet).
func (s *scenario) operations() {
	var org Resource
	for _, r := range s.loaded {
		if r["resourceType"] == "Organization" {
			org = r
			break
		}
	}
	if org == nil {
		s.t.Error("no Organization loaded: $validate is not exercised")
		return
	}
	outcome := func(ex *Exchange, wantError bool) {
		r := ex.Resource()
		hasError := strings.Contains(string(ex.Body), `"severity":"error"`)
		if ex.Status != 200 || r["resourceType"] != "OperationOutcome" || hasError != wantError {
			s.t.Errorf("%s: status %d, error issues %v (want %v): %.300s", ex.Name, ex.Status, hasError, wantError, ex.Body)
		}
	}
	outcome(s.do(Request{Name: "validate-type", Method: "POST", Path: "Organization/$validate?mode=create", Body: mustJSON(org), Want: []int{200}}), false)
	outcome(s.do(Request{Name: "validate-invalid", Method: "POST", Path: "Organization/$validate", Body: mustJSON(nonConformant()), Want: []int{200}}), true)
	params := Resource{"resourceType": "Parameters", "parameter": []any{
		Resource{"name": "resource", "resource": nonConformant()},
		Resource{"name": "mode", "valueCode": "create"},
		Resource{"name": "profile", "valueUri": RORSD + "ror-organization"},
	}}
	outcome(s.do(Request{Name: "validate-parameters", Method: "POST", Path: "Organization/$validate", Body: mustJSON(params), Want: []int{200}}), true)
	outcome(s.do(Request{Name: "validate-instance", Method: "POST", Path: path(org) + "/$validate", Want: []int{200}}), false)
	outcome(s.do(Request{Name: "validate-instance-update", Method: "POST", Path: path(org) + "/$validate?mode=update", Body: mustJSON(org), Want: []int{200}}), false)
	s.do(Request{Name: "err-validate-mode", Method: "POST", Path: "Organization/$validate?mode=bogus", Body: mustJSON(org), Want: []int{400}})

	const j19 = "https://mos.esante.gouv.fr/NOS/JDV_J19-ModePriseEnCharge-ROR/FHIR/JDV-J19-ModePriseEnCharge-ROR"
	ex := s.do(Request{Name: "expand", Path: "ValueSet/$expand?url=" + url.QueryEscape(j19), Want: []int{200}})
	exp, _ := ex.Resource()["expansion"].(map[string]any)
	contains := asList(exp["contains"])
	if ex.Resource()["resourceType"] != "ValueSet" || len(contains) == 0 {
		s.t.Errorf("ValueSet/$expand of J19: %.300s", ex.Body)
		return
	}
	first, _ := contains[0].(map[string]any)
	word := strings.Fields(fmt.Sprint(first["display"]))[0]
	s.do(Request{Name: "expand-filter", Path: "ValueSet/$expand?url=" + url.QueryEscape(j19) + "&filter=" + url.QueryEscape(word), Want: []int{200}})
	s.do(Request{Name: "expand-instance", Path: "ValueSet/JDV-J19-ModePriseEnCharge-ROR/$expand?count=2&offset=1", Want: []int{200}})
	s.do(Request{Name: "err-expand-unknown", Path: "ValueSet/$expand?url=" + url.QueryEscape("http://example.org/ValueSet/none"), Want: []int{404}})
	q := url.Values{"url": {j19}, "system": {fmt.Sprint(first["system"])}, "code": {fmt.Sprint(first["code"])}}
	for name, code := range map[string]string{"validate-code": q.Get("code"), "validate-code-invalid": "no-such-code"} {
		q.Set("code", code)
		ex := s.do(Request{Name: name, Path: "ValueSet/$validate-code?" + q.Encode(), Want: []int{200}})
		valid := strings.Contains(string(ex.Body), `"valueBoolean":true`)
		if ex.Resource()["resourceType"] != "Parameters" || valid != (name == "validate-code") {
			s.t.Errorf("%s: %.300s", name, ex.Body)
		}
	}
}
