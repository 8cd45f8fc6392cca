package api

import (
	"net/http/httptest"
	"testing"

	"github.com/rorfhir/ror/fhir/fherr"
)

func TestNegotiate(t *testing.T) {
	cases := []struct {
		target, accept string
		ok             bool
	}{
		{"/fhir/Organization/1", "", true},
		{"/fhir/Organization/1", "application/fhir+json", true},
		{"/fhir/Organization/1", "application/json", true},
		{"/fhir/Organization/1", "*/*", true},
		{"/fhir/Organization/1", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", true},
		{"/fhir/Organization/1", "application/fhir+json; fhirVersion=4.0", true},
		{"/fhir/Organization/1", "application/fhir+xml", false},
		{"/fhir/Organization/1", "text/xml", false},
		{"/fhir/Organization/1", "application/xml, application/json;q=0", false},
		{"/fhir/Organization/1?_format=json", "application/fhir+xml", true},
		{"/fhir/Organization/1?_format=application/fhir%2Bjson", "", true},
		{"/fhir/Organization/1?_format=xml", "", false},
		{"/fhir/Organization/1?_format=text/xml", "", false},
		{"/fhir/Organization/1?_format=application/fhir%2Bxml", "application/json", false},
	}
	for _, tc := range cases {
		r := httptest.NewRequest("GET", tc.target, nil)
		if tc.accept != "" {
			r.Header.Set("Accept", tc.accept)
		}
		err := negotiate(r)
		if (err == nil) != tc.ok {
			t.Errorf("%s Accept %q: %v", tc.target, tc.accept, err)
		}
		if err != nil {
			if fe, _ := fherr.As(err); fe == nil || fe.Kind != fherr.KindNotAcceptable {
				t.Errorf("%s: %v is not a 406", tc.target, err)
			}
		}
	}
}

func TestCheckContentType(t *testing.T) {
	for ct, ok := range map[string]bool{
		"application/fhir+json": true, "application/fhir+json; charset=utf-8": true, "application/json": true,
		"": false, "application/fhir+xml": false, "text/plain": false, "application/x-www-form-urlencoded": false,
	} {
		r := httptest.NewRequest("POST", "/fhir/Organization", nil)
		if ct != "" {
			r.Header.Set("Content-Type", ct)
		}
		err := checkContentType(r)
		if (err == nil) != ok {
			t.Errorf("Content-Type %q: %v", ct, err)
		}
		if fe, _ := fherr.As(err); err != nil && fe.Kind != fherr.KindUnsupportedMedia {
			t.Errorf("Content-Type %q: kind %v", ct, fe.Kind)
		}
	}
}
