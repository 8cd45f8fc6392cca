package profiles

import "testing"

func TestContextAllows(t *testing.T) {
	cases := []struct {
		ctxs []string
		path string
		want bool
	}{
		{[]string{"Location"}, "Location", true},
		{[]string{"Location"}, "Organization", false},
		{[]string{"*"}, "Organization", true},
		{[]string{"*"}, "Organization.contact", false},
		{[]string{"ContactPoint"}, "Organization.contact.telecom", true},
		{[]string{"Address"}, "Organization.address", true},
		{[]string{"BackboneElement"}, "Organization.contact", true},
		{[]string{"HealthcareService.extension"}, "HealthcareService.extension", true},
		{[]string{"https://x/ext"}, "Organization.address", true},
		{[]string{"HealthcareService.characteristic"}, "Organization.type", false},
	}
	for _, c := range cases {
		if got := contextAllows(c.ctxs, c.path); got != c.want {
			t.Errorf("%v on %s: %v", c.ctxs, c.path, got)
		}
	}
}
