package api

import (
	"encoding/json"
	"mime"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/internal/service"
)

// history: GET [base]/_history, [base]/{type}/_history, [base]/{type}/{id}/_history.
func (s *server) history(c echo.Context, typ string) error {
	r := c.Request()
	res, err := s.svc.History(r.Context(), service.HistoryRequest{
		Type: typ, ID: c.Param("id"), Params: r.URL.Query(),
	})
	if err != nil {
		return err
	}
	base := s.fhirBase(r)
	self := base + r.URL.Path[len("/fhir"):]
	links := []string{"self", self + "?" + res.Self}
	if res.Next != "" {
		links = append(links, "next", self+"?"+res.Next)
	}
	w := bundleWriter{base: base}
	w.start("history", s.now(), -1, links...)
	for _, v := range res.Versions {
		w.version(v)
	}
	return c.Blob(http.StatusOK, contentTypeFHIR, w.bytes())
}

// search: GET [base]/{type}?params and POST [base]/{type}/_search (form body, same answer), a
// searchset with self/next links, the matches, the resources _include and _revinclude add
// (search.mode=include) and, when some parameters were ignored, an OperationOutcome entry.
func (s *server) search(c echo.Context, typ string) error {
	r := c.Request()
	params, err := searchParams(r)
	if err != nil {
		return err
	}
	res, err := s.svc.Search(r.Context(), typ, params, service.SearchOptions{
		Strict: preferHandling(r) == "strict",
	})
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, contentTypeFHIR, s.searchset(s.fhirBase(r), typ, res))
}

// searchset encodes a page of a search of typ: self/next links, the matches, the resources
// _include and _revinclude add (search.mode=include) and, when some parameters were ignored, an
// OperationOutcome entry.
func (s *server) searchset(base, typ string, res service.SearchResult) []byte {
	links := []string{"self", base + "/" + typ + "?" + res.Self}
	if res.Next != "" {
		links = append(links, "next", base+"/"+typ+"?"+res.Next)
	}
	w := bundleWriter{base: base}
	w.grow(len(res.Matches)+len(res.Included), res.Matches, res.Included)
	w.start("searchset", s.now(), res.Total, links...)
	for _, v := range res.Matches {
		w.match(v)
	}
	for _, v := range res.Included {
		w.included(v)
	}
	if len(res.Warnings) > 0 {
		w.outcome(outcomeJSON(res.Warnings, ""))
	}
	return w.bytes()
}

// searchParams are the query parameters of a search, with those of an
// application/x-www-form-urlencoded body for POST _search.
func searchParams(r *http.Request) (url.Values, error) {
	params := r.URL.Query()
	if r.Method != http.MethodPost {
		return params, nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" && r.ContentLength != 0 && r.Header.Get("Content-Type") != "" {
		return nil, fherr.NotSupported(fherr.KindUnsupportedMedia, "POST _search expects an application/x-www-form-urlencoded body, got %q", mt)
	}
	if err := r.ParseForm(); err != nil {
		return nil, fherr.Invalid("structure", "", "the form body of POST _search cannot be read: %v", err)
	}
	for k, vs := range r.PostForm {
		params[k] = append(params[k], vs...)
	}
	return params, nil
}

// searchParameterRead: GET [base]/SearchParameter/{id}, generated from the registry.
func (s *server) searchParameterRead(c echo.Context, _ string) error {
	b, err := s.svc.SearchParameter(c.Param("id"))
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, contentTypeFHIR, b)
}

// searchParameterSearch: GET [base]/SearchParameter?params, every match in one searchset.
func (s *server) searchParameterSearch(c echo.Context, _ string) error {
	r := c.Request()
	sps, issues, err := s.svc.SearchParameters(r.URL.Query(), service.SearchOptions{Strict: preferHandling(r) == "strict"})
	if err != nil {
		return err
	}
	base := s.fhirBase(r)
	w := bundleWriter{base: base}
	w.start("searchset", s.now(), len(sps), "self", base+"/SearchParameter?"+r.URL.RawQuery)
	for _, b := range sps {
		var head struct{ ID string }
		_ = json.Unmarshal(b, &head)
		w.raw(base+"/SearchParameter/"+head.ID, b, "match")
	}
	if len(issues) > 0 {
		w.outcome(outcomeJSON(issues, ""))
	}
	return c.Blob(http.StatusOK, contentTypeFHIR, w.bytes())
}
