package search

import (
	"net/url"
	"strings"
	"testing"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/store"
)

func TestParseChainAndHas(t *testing.T) {
	reg := Default()
	s, issues, err := reg.ParseQuery("HealthcareService", mustQuery(t, "organization.name=clin,hop&organization.partof.identifier=x|1&location:Location.near-insee-code=75056"), Options{Strict: true})
	if err != nil || len(issues) != 0 {
		t.Fatalf("%v %v", err, issues)
	}
	if len(s.Query.Where) != 3 {
		t.Fatalf("where %+v", s.Query.Where)
	}
	byParam := map[string]store.Cond{}
	for _, cl := range s.Query.Where {
		byParam[cl.Any[0].Param] = cl.Any[0]
	}
	c := byParam["organization"]
	if len(s.Query.Where) != 3 || c.Target == nil {
		t.Fatalf("chain: %+v", s.Query.Where)
	}
	// One of the two organization chains has an OR of two names, the other a two-level chain.
	found2, foundOr := false, false
	for _, cl := range s.Query.Where {
		c := cl.Any[0]
		if c.Target == nil {
			t.Fatalf("not a chain: %+v", c)
		}
		in := c.Target.Where[0].Any
		if c.Param == "organization" && len(in) == 2 && in[0].Value == "clin" && in[1].Value == "hop" {
			foundOr = true
		}
		if c.Param == "organization" && in[0].Target != nil && in[0].Target.Type == "Organization" && in[0].Param == "partof" &&
			in[0].Target.Where[0].Any[0].System == "x" {
			found2 = true
		}
	}
	if !found2 || !foundOr {
		t.Errorf("chains %+v", s.Query.Where)
	}
	s, _, err = reg.ParseQuery("Location", mustQuery(t, "_has:HealthcareService:location:identifier=abc"), Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Query.Where[0].Any[0]
	if h.Kind != store.KindHas || h.Has.Type != "HealthcareService" || h.Has.Param != "location" || h.Has.Where[0].Any[0].Code != "abc" {
		t.Errorf("_has %+v", h)
	}
	s, _, err = reg.ParseQuery("Organization", mustQuery(t, "_has:HealthcareService:organization:_has:PractitionerRole:service:role=nurse"), Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if h := s.Query.Where[0].Any[0]; h.Has.Where[0].Any[0].Kind != store.KindHas {
		t.Errorf("nested _has %+v", h)
	}
	if !strings.Contains(s.Canonical, "_has%3AHealthcareService%3Aorganization") {
		t.Errorf("canonical %s", s.Canonical)
	}
}

func TestParseFilter(t *testing.T) {
	reg := Default()
	for _, tc := range []struct {
		q     string
		check func(w []store.Clause) bool
	}{
		{"(_lastUpdated ge 2024-01-01T00:00:00Z or organization._lastUpdated ge 2024-01-01T00:00:00Z)", func(w []store.Clause) bool {
			c := w[0].Any[0]
			return len(w) == 1 && c.Kind == store.KindOr && len(c.Or) == 2 && c.Or[0][0].Any[0].Param == "_lastUpdated" &&
				c.Or[1][0].Any[0].Target != nil && c.Or[1][0].Any[0].Target.Where[0].Any[0].Kind == store.KindDate
		}},
		{`name sw "Clin" and active eq true`, func(w []store.Clause) bool {
			return len(w) == 2 && w[0].Any[0].Op == store.OpPrefix && w[0].Any[0].Value == "clin" && w[1].Any[0].Code == "true"
		}},
		{`not (name co "parc" or identifier eq http://x|1)`, func(w []store.Clause) bool {
			c := w[0].Any[0]
			return c.Kind == store.KindOr && c.Not && c.Or[0][0].Any[0].Op == store.OpContains && c.Or[1][0].Any[0].System == "http://x"
		}},
		{`identifier ne 1`, func(w []store.Clause) bool { return w[0].Any[0].Not }},
		{`partof.partof.name eq "a b"`, func(w []store.Clause) bool {
			c := w[0].Any[0]
			return c.Target.Where[0].Any[0].Target.Where[0].Any[0].Value == "a b"
		}},
	} {
		s, _, err := reg.ParseQuery("HealthcareService", mustQuery(t, "_filter="+urlEscape(tc.q)), Options{Strict: true})
		if strings.Contains(tc.q, "active") || strings.Contains(tc.q, "partof") || strings.Contains(tc.q, "identifier") {
			s, _, err = reg.ParseQuery("Organization", mustQuery(t, "_filter="+urlEscape(tc.q)), Options{Strict: true})
		}
		if err != nil {
			t.Errorf("%s: %v", tc.q, err)
			continue
		}
		if !tc.check(s.Query.Where) {
			t.Errorf("%s: %+v", tc.q, s.Query.Where)
		}
	}
	for _, bad := range []struct{ q, part string }{
		{"name ew x", `"ew"`},
		{"name re x", `"re"`},
		{"foo eq 1", `"foo"`},
		{"(name eq x", "missing )"},
		{"name eq", "incomplete"},
		{`name eq "x`, "unterminated"},
		{"name eq x y", `"y"`},
		{"_lastUpdated sw 2024", `"sw"`},
		{"identifier[system eq x] eq 1", "filters inside paths"},
	} {
		_, _, err := reg.ParseQuery("Organization", mustQuery(t, "_filter="+urlEscape(bad.q)), Options{})
		e, ok := fherr.As(err)
		if !ok || e.Kind != fherr.KindInvalid || !strings.Contains(e.Issues[0].Diagnostics, bad.part) {
			t.Errorf("%s: %v, want a 400 naming %s", bad.q, err, bad.part)
		}
	}
}

func TestParseIncludes(t *testing.T) {
	reg := Default()
	s, issues, err := reg.ParseQuery("HealthcareService", mustQuery(t,
		"_include=HealthcareService:organization&_include:iterate=Organization:partof&_include=HealthcareService:location&_revinclude=PractitionerRole:service&_include=PractitionerRole:practitioner"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(issues) != 0 {
		t.Errorf("issues %+v", issues)
	}
	if len(s.Includes) != 5 {
		t.Fatalf("includes %+v", s.Includes)
	}
	// PractitionerRole:practitioner does not start from HealthcareService: followed as :iterate.
	want := []Include{{Source: "HealthcareService", Param: "organization"}, {Source: "HealthcareService", Param: "location"},
		{Iterate: true, Source: "PractitionerRole", Param: "practitioner"},
		{Iterate: true, Source: "Organization", Param: "partof"}, {Rev: true, Source: "PractitionerRole", Param: "service"}}
	for i, w := range want {
		if s.Includes[i] != w {
			t.Errorf("include %d = %+v, want %+v", i, s.Includes[i], w)
		}
	}
	s, _, err = reg.ParseQuery("Location", mustQuery(t, "_include=*"), Options{Strict: true})
	if err != nil || len(s.Includes) != 1 || len(reg.IncludeParams(s.Includes[0])) < 3 {
		t.Errorf("* : %+v %v", s.Includes, err)
	}
}

func urlEscape(s string) string { return url.QueryEscape(s) }
