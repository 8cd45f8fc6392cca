package service

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/profiles/terminology"
)

// Terminology answers the terminology operations from the ValueSet and CodeSystem resources the
// server stores (a terminology.Cache over the store, owned by the composition root).
type Terminology interface {
	ValidateCode(ctx context.Context, valueSetURL, system, code string) (terminology.Result, error)
	Expand(ctx context.Context, url, filter string) ([]terminology.Concept, error)
}

// TerminologyRequest is a ValueSet/$validate-code or ValueSet/$expand call.
type TerminologyRequest struct {
	ID     string     // instance level: the stored ValueSet ("" at type level)
	Params url.Values // url, system, code, display (validate-code); url, filter, offset, count (expand)
}

// valueSetHead is what the operations echo of a stored ValueSet.
type valueSetHead struct {
	ID      string `json:"id,omitempty"`
	URL     string `json:"url,omitempty"`
	Version string `json:"version,omitempty"`
	Name    string `json:"name,omitempty"`
	Title   string `json:"title,omitempty"`
	Status  string `json:"status"`
}

// valueSetOf finds the ValueSet an operation is about: the stored instance, or the url parameter
// (with the stored ValueSet of that url when there is one, for its name and status).
func (s *Service) valueSetOf(ctx context.Context, req TerminologyRequest) (valueSetHead, error) {
	if s.opts.Terminology == nil {
		return valueSetHead{}, fherr.NotSupported(fherr.KindNotImplemented, "this server has no terminology")
	}
	var head valueSetHead
	if req.ID != "" {
		v, err := s.Read(ctx, "ValueSet", req.ID)
		if err != nil {
			return valueSetHead{}, err
		}
		if err := json.Unmarshal(v.Body, &head); err != nil {
			return valueSetHead{}, fherr.Fault(err)
		}
		if head.URL == "" {
			return valueSetHead{}, fherr.Invalid("required", "ValueSet.url", "ValueSet/%s has no url: it cannot be used", req.ID)
		}
		if head.Status == "" {
			head.Status = "unknown"
		}
		return head, nil
	}
	u := req.Params.Get("url")
	if u == "" {
		return valueSetHead{}, fherr.Invalid("required", "url", "the url of the value set is required (or call the operation on a ValueSet instance)")
	}
	head = valueSetHead{URL: u, Status: "active"}
	sr, err := s.search(ctx, "ValueSet", url.Values{"url": {u}}, searchControl{count: 1, strict: true})
	if err != nil {
		return valueSetHead{}, err
	}
	if len(sr.Matches) == 1 {
		if err := json.Unmarshal(sr.Matches[0].Body, &head); err != nil {
			return valueSetHead{}, fherr.Fault(err)
		}
		head.URL = u // the url asked for (a bound url may differ in its |version suffix)
	}
	return head, nil
}

// ValidateCode runs ValueSet/$validate-code and returns its Parameters (result, message, display).
func (s *Service) ValidateCode(ctx context.Context, req TerminologyRequest) ([]byte, error) {
	head, err := s.valueSetOf(ctx, req)
	if err != nil {
		return nil, err
	}
	code := req.Params.Get("code")
	if code == "" {
		return nil, fherr.Invalid("required", "code", "the code to validate is required")
	}
	r, err := s.opts.Terminology.ValidateCode(ctx, head.URL, req.Params.Get("system"), code)
	if err != nil {
		return nil, fherr.Fault(err)
	}
	if !r.ValueSetKnown {
		return nil, fherr.NotFound("value set %s is not loaded on this server", head.URL)
	}
	params := []map[string]any{{"name": "result", "valueBoolean": r.Valid}}
	msg := r.Message
	if !r.Valid && r.Undecided {
		msg += " (the value set is loaded without the content needed to decide: a filter or a code system not loaded)"
	}
	if d := req.Params.Get("display"); r.Valid && d != "" && r.Display != "" && d != r.Display {
		msg = "the display " + strconv.Quote(d) + " differs from " + strconv.Quote(r.Display)
	}
	if msg != "" {
		params = append(params, map[string]any{"name": "message", "valueString": msg})
	}
	if r.Display != "" {
		params = append(params, map[string]any{"name": "display", "valueString": r.Display})
	}
	return marshal(map[string]any{"resourceType": "Parameters", "parameter": params})
}

// Expand runs ValueSet/$expand: the codes of the value set whose code or display contains filter,
// from offset, at most count (default and bound MaxCount; total says how many match).
func (s *Service) Expand(ctx context.Context, req TerminologyRequest) ([]byte, error) {
	head, err := s.valueSetOf(ctx, req)
	if err != nil {
		return nil, err
	}
	offset, err := intParam(req.Params, "offset", 0)
	if err != nil {
		return nil, err
	}
	count, err := intParam(req.Params, "count", s.opts.MaxCount)
	if err != nil {
		return nil, err
	}
	count = min(count, s.opts.MaxCount)
	filter := req.Params.Get("filter")
	cs, err := s.opts.Terminology.Expand(ctx, head.URL, filter)
	switch {
	case errors.Is(err, terminology.ErrUnknownValueSet):
		return nil, fherr.NotFound("value set %s is not loaded on this server", head.URL)
	case errors.Is(err, terminology.ErrNotEnumerable):
		return nil, fherr.New(fherr.KindTooCostly, "too-costly", "",
			"value set %s cannot be expanded from what is loaded (a filter, or a code system that is not loaded)", head.URL)
	case err != nil:
		return nil, fherr.Fault(err)
	}
	total := len(cs)
	cs = cs[min(offset, total):min(offset+count, total)]
	contains := make([]map[string]any, 0, len(cs))
	for _, c := range cs {
		e := map[string]any{"code": c.Code}
		if c.System != "" {
			e["system"] = c.System
		}
		if c.Display != "" {
			e["display"] = c.Display
		}
		contains = append(contains, e)
	}
	exp := map[string]any{"timestamp": s.now().Format("2006-01-02T15:04:05.000Z07:00"), "total": total, "offset": offset}
	var ps []map[string]any
	if filter != "" {
		ps = append(ps, map[string]any{"name": "filter", "valueString": filter})
	}
	if req.Params.Has("count") {
		ps = append(ps, map[string]any{"name": "count", "valueInteger": count})
	}
	if len(ps) > 0 {
		exp["parameter"] = ps
	}
	if len(contains) > 0 {
		exp["contains"] = contains
	}
	vs := map[string]any{"resourceType": "ValueSet", "url": head.URL, "status": head.Status, "expansion": exp}
	for k, v := range map[string]string{"id": head.ID, "version": head.Version, "name": head.Name, "title": head.Title} {
		if v != "" {
			vs[k] = v
		}
	}
	return marshal(vs)
}

// intParam reads a non-negative integer parameter.
func intParam(params url.Values, name string, def int) (int, error) {
	v := params.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fherr.Invalid("value", name, "%s=%q is not a non-negative integer", name, v)
	}
	return n, nil
}

func marshal(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fherr.Fault(err)
	}
	return b, nil
}
