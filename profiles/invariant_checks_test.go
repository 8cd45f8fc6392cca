package profiles

import (
	"context"
	"testing"
)

func TestInvariants(t *testing.T) {
	f := invariantChecks()["canonical-has-version"]
	if f == nil || !f("http://q|1") || f("http://q") || !f(nil) {
		t.Fatal("canonical-has-version")
	}
	v := newTestValidator(t, Options{})
	ctx := context.Background()
	for body, errs := range map[string]int{
		`{"resourceType":"Organization","name":"x"}`:                            0,
		`{"resourceType":"Organization","identifier":[{"value":"1"}]}`:          0,
		`{"resourceType":"Organization","active":true}`:                         1,
		`{"resourceType":"Organization","name":"","identifier":[]}`:             1,
		`{"resourceType":"Location","name":"no invariant checked on Location"}`: 0,
	} {
		typ := resourceType(t, []byte(body))
		if got := errorsOf(v.Validate(ctx, typ, []byte(body))); len(got) != errs {
			t.Errorf("%s: %+v", body, got)
		}
	}
}
