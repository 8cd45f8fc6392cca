package profiles

import "testing"

func TestLocString(t *testing.T) {
	root := &loc{name: "Location", idx: -1}
	ext := &loc{parent: root, name: "extension", idx: 2}
	val := &loc{parent: ext, name: "value", idx: -1, ofType: "CodeableConcept"}
	if got := val.with(".coding[0].code").String(); got != "Location.extension[2].value.ofType(CodeableConcept).coding[0].code" {
		t.Error(got)
	}
	if val.suffix != "" {
		t.Error("with must not modify its receiver")
	}
	e := &elemRef{parent: &elemRef{parent: &elemRef{name: "HealthcareService"}, name: "characteristic", sep: '.'}, name: "careMode", sep: ':'}
	if e.String() != "HealthcareService.characteristic:careMode" || e.plain() != "HealthcareService.characteristic" {
		t.Error(e.String(), e.plain())
	}
	if (*elemRef)(nil).String() != "" || text("x").String() != "x" {
		t.Error("nil/text")
	}
}
