package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/rorfhir/ror/fhir/fherr"
)

// contentTypeFHIR is the Content-Type of every FHIR answer.
const contentTypeFHIR = "application/fhir+json; charset=utf-8"

// negotiate checks that the client accepts JSON: _format first, then Accept. XML or any other
// format gets 406.
func negotiate(r *http.Request) error {
	if r.URL.RawQuery != "" {
		if f := r.URL.Query()["_format"]; len(f) > 0 {
			if !jsonFormat(f[len(f)-1]) {
				return fherr.NotSupported(fherr.KindNotAcceptable,
					"_format %q is not supported: this server answers in JSON only (application/fhir+json)", f[len(f)-1])
			}
			return nil
		}
	}
	accept := r.Header.Get("Accept")
	switch accept {
	case "", "application/fhir+json", "application/json", "*/*":
		return nil
	}
	for _, part := range strings.Split(accept, ",") {
		mt, params, _ := strings.Cut(part, ";")
		if refused(params) {
			continue
		}
		if jsonMediaType(strings.TrimSpace(mt), true) {
			return nil
		}
	}
	return fherr.NotSupported(fherr.KindNotAcceptable,
		"Accept %q is not supported: this server answers in JSON only (application/fhir+json)", accept)
}

// refused reports whether media-type parameters carry q=0 (the client refuses that type).
func refused(params string) bool {
	for _, p := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok && strings.EqualFold(k, "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return err == nil && q == 0
		}
	}
	return false
}

// jsonFormat reports whether a _format value asks for JSON.
func jsonFormat(f string) bool {
	f = strings.TrimSpace(f)
	if mt, _, ok := strings.Cut(f, ";"); ok {
		f = strings.TrimSpace(mt)
	}
	return strings.EqualFold(f, "json") || jsonMediaType(f, true)
}

// jsonMediaType reports whether mt is a JSON media type (wildcards allowed when wild).
func jsonMediaType(mt string, wild bool) bool {
	switch strings.ToLower(mt) {
	case "application/fhir+json", "application/json", "application/json+fhir", "text/json":
		return true
	case "*/*", "application/*":
		return wild
	}
	return false
}

// checkContentType accepts a request body declared as JSON only (415 otherwise, also when the
// Content-Type is missing).
func checkContentType(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	mt, _, _ := strings.Cut(ct, ";")
	if jsonMediaType(strings.TrimSpace(mt), false) {
		return nil
	}
	if ct == "" {
		return fherr.NotSupported(fherr.KindUnsupportedMedia,
			"the request has no Content-Type; application/fhir+json is expected")
	}
	return fherr.NotSupported(fherr.KindUnsupportedMedia,
		"Content-Type %q is not supported; application/fhir+json is expected", ct)
}
