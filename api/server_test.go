package api

import (
	"crypto/tls"
	"net/http/httptest"
	"testing"
)

func TestFHIRBase(t *testing.T) {
	r := httptest.NewRequest("GET", "http://ror.local:8080/fhir/metadata", nil)
	if got := (&server{}).fhirBase(r); got != "http://ror.local:8080/fhir" {
		t.Errorf("from the request: %s", got)
	}
	r.TLS = &tls.ConnectionState{}
	if got := (&server{}).fhirBase(r); got != "https://ror.local:8080/fhir" {
		t.Errorf("from a TLS request: %s", got)
	}
	if got := (&server{baseURL: "https://ror.example.fr/api"}).fhirBase(r); got != "https://ror.example.fr/api/fhir" {
		t.Errorf("from BaseURL: %s", got)
	}
}
