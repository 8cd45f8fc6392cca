package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

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

// search: GET [base]/{type}?params, a searchset with self/next links and, when some parameters
// were ignored, an OperationOutcome entry.
func (s *server) search(c echo.Context, typ string) error {
	r := c.Request()
	res, err := s.svc.Search(r.Context(), typ, r.URL.Query(), service.SearchOptions{
		Strict: preferHandling(r) == "strict",
	})
	if err != nil {
		return err
	}
	base := s.fhirBase(r)
	links := []string{"self", base + "/" + typ + "?" + res.Self}
	if res.Next != "" {
		links = append(links, "next", base+"/"+typ+"?"+res.Next)
	}
	w := bundleWriter{base: base}
	w.start("searchset", s.now(), res.Total, links...)
	for _, v := range res.Matches {
		w.match(v)
	}
	if len(res.Warnings) > 0 {
		w.outcome(outcomeJSON(res.Warnings, ""))
	}
	return c.Blob(http.StatusOK, contentTypeFHIR, w.bytes())
}
