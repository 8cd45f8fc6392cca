package profiles

import (
	"encoding/json"
	"testing"
)

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMatchesPattern(t *testing.T) {
	pat := decode(t, `{"coding":[{"system":"s","code":"4"}]}`)
	cases := []struct {
		v    string
		want bool
	}{
		{`{"coding":[{"system":"s","code":"4","display":"x"}],"text":"t"}`, true},
		{`{"coding":[{"system":"o","code":"1"},{"system":"s","code":"4"}]}`, true},
		{`{"coding":[{"system":"s","code":"3"}]}`, false},
		{`{"text":"t"}`, false},
		{`"4"`, false},
	}
	for _, c := range cases {
		if got := matchesPattern(decode(t, c.v), pat); got != c.want {
			t.Errorf("%s: %v", c.v, got)
		}
	}
	if !matchesPattern("a", "a") || matchesPattern(1.0, "1") {
		t.Error("primitives")
	}
}

func TestMatchers(t *testing.T) {
	cc := &item{v: decode(t, `{"coding":[{"system":"A","code":"1"}],"extension":[{"url":"u","valueCode":"x"}]}`)}
	if !valueIn("coding.system", []string{"B", "A"})(cc) || valueIn("coding.system", []string{"B"})(cc) {
		t.Error("valueIn")
	}
	if !patternAt("coding.code", "1")(cc) || patternAt("coding.code", "2")(cc) {
		t.Error("patternAt")
	}
	if !extPresent("u", true, "x")(cc) || extPresent("u", true, "y")(cc) || extPresent("u", false, nil)(cc) || !extPresent("v", false, nil)(cc) {
		t.Error("extPresent")
	}
	if !urlIs("u")(&item{v: decode(t, `{"url":"u"}`)}) || urlIs("u")(&item{v: "x"}) {
		t.Error("urlIs")
	}
	if !typeIn([]string{"CodeableConcept"})(&item{typ: "CodeableConcept"}) || typeIn([]string{"string"})(&item{typ: "Coding"}) {
		t.Error("typeIn")
	}
	n := 0
	eachAt(decode(t, `[{"a":[{"b":1},{"b":2}]},{"a":{"b":3}}]`), []string{"a", "b"}, func(any) bool { n++; return true })
	if n != 3 {
		t.Errorf("eachAt: %d", n)
	}
}

func decodeInto(t *testing.T, b []byte, into any) {
	t.Helper()
	if err := json.Unmarshal(b, into); err != nil {
		t.Fatal(err)
	}
}
