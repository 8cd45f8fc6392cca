package search

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/rorfhir/ror/store"
)

// TestRORParamsMatchIG checks the 36 parameters against the IG's files when ../shared is present:
// same ids, canonical URLs, bases and types, except the documented fixes.
func TestRORParamsMatchIG(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "ror-ig", "SearchParameter")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Skipf("the IG's SearchParameters are not in %s", dir)
	}
	ours := map[string]Param{}
	for _, p := range RORParams() {
		ours[p.URL] = p
	}
	if len(ours) != 36 || len(files) != 36 {
		t.Fatalf("%d parameters, %d files; want 36", len(ours), len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var sp struct {
			ID, URL, Code, Type string
			Base                []string
		}
		if err := json.Unmarshal(b, &sp); err != nil {
			t.Fatal(err)
		}
		p, ok := ours[sp.URL]
		switch {
		case !ok:
			t.Errorf("%s: not in RORParams", sp.URL)
			continue
		case p.ID != sp.ID || p.Base[0] != sp.Base[0]:
			t.Errorf("%s: id %s base %v, IG %s %v", sp.URL, p.ID, p.Base, sp.ID, sp.Base)
		case (p.Code != sp.Code || p.Type != sp.Type) && p.Fix == "":
			t.Errorf("%s: code/type %s/%s differ from the IG's %s/%s without a documented fix", sp.URL, p.Code, p.Type, sp.Code, sp.Type)
		}
	}
}

// TestRORParamsExtract indexes a resource carrying the ROR extensions and checks every parameter
// finds its value, through the walker (no FHIRPath fallback).
func TestRORParamsExtract(t *testing.T) {
	reg := Default()
	for _, typ := range []string{"Location", "HealthcareService", "Organization"} {
		for _, c := range reg.byType[typ] {
			if c.fp != nil {
				t.Errorf("%s.%s falls back to the FHIRPath engine", typ, c.Code)
			}
		}
	}
	cc := func(code string) string {
		return `"valueCodeableConcept":{"coding":[{"system":"https://mos.esante.gouv.fr/x","code":"` + code + `"}]}`
	}
	sub := func(url, value string) string { return `{"url":"` + url + `",` + value + `}` }
	loc := `{"resourceType":"Location","id":"l1","extension":[
	{"url":"` + rorSD + `ror-location-supported-capacity","extension":[` +
		sub("capacityType", cc("ct")) + `,` + sub("capacityStatus", cc("cs")) + `,` + sub("temporalityCapacity", cc("tc")) + `,` +
		sub("nbCapacity", `"valueInteger":12`) + `,` + sub("genderCapacityAvailable", cc("g")) + `,` +
		sub("capacityUpdateDate", `"valueDateTime":"2024-05-01T10:00:00Z"`) + `,` + sub("capacityClosingType", cc("cct")) + `,` +
		sub("additionalBedType", cc("ab")) + `,` + sub("crisisType", cc("cr")) + `,` + sub("temporaryAssignement", cc("ta")) + `]},
	{"url":"` + rorSD + `ror-location-residential-capacity","extension":[` + sub("residentialType", cc("rt")) + `,` + sub("residentialNumber", `"valueInteger":3`) + `]},
	{"url":"` + rorSD + `ror-location-equipment","extension":[` + sub("equipmentType", cc("et")) + `,
		{"url":"` + rorSD + `ror-location-equipment-limit","extension":[` + sub("equipmentFeature", cc("ef")) + `,` + sub("limitValue", `"valueQuantity":{"value":150,"system":"http://unitsofmeasure.org","code":"kg"}`) + `]}]},
	{"url":"` + rorSD + `ror-commune-cog",` + cc("75056") + `}],
	"address":[{"city":"Paris","extension":[{"url":"http://interopsante.org/fhir/StructureDefinition/FrAddressInseeCode","valueCoding":{"system":"https://mos.esante.gouv.fr/y","code":"75056"}}]}]}`
	hcs := `{"resourceType":"HealthcareService","id":"h1","extension":[
	{"url":"` + rorSD + `ror-healthcareservice-patient-type","extension":[` + sub("supportedPatientInfo", cc("pt")) + `,` +
		sub("ageRange", `"valueRange":{"low":{"value":18,"code":"a"},"high":{"value":65,"code":"a"}}`) + `]},
	{"url":"` + rorSD + `ror-healthcareservice-psychiatric-sector","valueString":"Secteur Île 3"},
	{"url":"` + rorSD + `ror-territorial-division","extension":[` + sub("codeTerritorialDivision", cc("tz")) + `]},
	{"url":"http://interop.esante.gouv.fr/ig/fhir/ror30/StructureDefinition/ror-healthcareservice-equipement","extension":[` + sub("equipmentType", cc("het")) + `]}],
	"notAvailable":[{"id":"closingReopeningDate","during":{"start":"2024-07-01","end":"2024-08-31"}}]}`
	org := `{"resourceType":"Organization","id":"o1","extension":[
	{"url":"` + rorSD + `ror-organization-closing-type",` + cc("clo") + `},
	{"url":"` + rorSD + `ror-organization-drop-zone","valueBoolean":true},
	{"url":"` + rorSD + `ror-organization-additional-name","valueString":"Clinique Ouest"},
	{"url":"http://hl7.org/fhir/StructureDefinition/organization-period","valuePeriod":{"start":"2000-01-01","end":"2030-12-31"}},
	{"url":"` + rorSD + `ror-organization-price","extension":[` + sub("amount", `"valueMoney":{"value":71.5,"currency":"EUR"}`) + `,` +
		sub("dependencyLevel", cc("dl")) + `,` + sub("residentialType", cc("prt")) + `,` + sub("priceType", cc("pty")) + `,` +
		sub("priceUnit", cc("pu")) + `,` + sub("startDate", `"valueDateTime":"2024-01-01"`) + `,` + sub("welcomeType", cc("wt")) + `,` +
		sub("specialPrice", cc("sp")) + `]}]}`
	want := map[string]map[string]string{ // type → code → a value found (token code, string norm, or "*")
		"Location": {"additional-bed-type": "ab", "capacity-closing-type": "cct", "capacity-status": "cs", "capacity-type": "ct",
			"capacity-update-date": "*", "crisis-type": "cr", "equipment-feature": "ef", "equipment-type": "et", "gender-capacity-available": "g",
			"limit-value": "*", "commune-cog": "75056", "near-insee-code": "75056", "nb-capacity": "*", "residential-number": "*",
			"residential-type": "rt", "temporality-capacity": "tc", "temporary-assignement": "ta"},
		"HealthcareService": {"age-range-high": "*", "age-range-low": "*", "equipment-type": "het", "intervention-zone": "tz",
			"notavailable-closing-reopeningdate": "*", "patient-type": "pt", "psychiatric-sector": "secteur ile 3"},
		"Organization": {"closing-type": "clo", "drop-zone": "true", "oi-name": "clinique ouest", "period-end": "*", "price-amount-value": "*",
			"price-dependency-level": "dl", "price-residential-type": "prt", "price-type": "pty", "price-unit": "pu",
			"price-validity-start-date": "*", "price-welcome-type": "wt", "special-price": "sp"},
	}
	bodies := map[string]string{"Location": loc, "HealthcareService": hcs, "Organization": org}
	n := 0
	for typ, codes := range want {
		idx, err := reg.Extract(typ, []byte(bodies[typ]))
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		for code, v := range codes {
			n++
			if !indexHas(idx, code, v) {
				t.Errorf("%s.%s: no value %q in the index", typ, code, v)
			}
		}
	}
	if n != 36 {
		t.Errorf("%d parameters checked, want 36", n)
	}
	idx, _ := reg.Extract("HealthcareService", []byte(hcs))
	for _, num := range idx.Numbers {
		if num.Param == "age-range-low" && num.Value != 18 || num.Param == "age-range-high" && num.Value != 65 {
			t.Errorf("age range %+v", num)
		}
	}
}

func indexHas(idx store.Index, code, v string) bool {
	for _, x := range idx.Tokens {
		if x.Param == code && (v == "*" || x.Code == v) {
			return true
		}
	}
	for _, x := range idx.Strings {
		if x.Param == code && (v == "*" || x.Norm == v) {
			return true
		}
	}
	for _, x := range idx.Dates {
		if x.Param == code && v == "*" {
			return true
		}
	}
	for _, x := range idx.Numbers {
		if x.Param == code && v == "*" {
			return true
		}
	}
	return false
}
