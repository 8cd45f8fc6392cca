package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Collector sends requests to a FHIR server, writes every answer body to Dir (one file per answer,
// numbered in order) for the validators, and records what the protocol itself got wrong: an
// unexpected status, an error answered without an OperationOutcome, a body that is not FHIR JSON.
type Collector struct {
	Base   string // the FHIR base URL, e.g. http://127.0.0.1:8080/fhir
	Dir    string // where answers are written
	Client *http.Client

	n         int
	Exchanges []Exchange
}

// Request is one request of the scenario.
type Request struct {
	Name   string            // short name, used in the answer's file name
	Method string            // GET when empty
	Path   string            // relative to Base ("Organization/1"), or an absolute URL
	Header map[string]string // extra headers; Accept defaults to application/fhir+json
	Body   []byte            // sent as application/fhir+json unless Header sets Content-Type
	Want   []int             // acceptable statuses (any 2xx when empty)
}

// Exchange is what one request got.
type Exchange struct {
	Name     string
	Method   string
	URL      string
	Status   int
	Header   http.Header
	Body     []byte
	File     string   // the answer file under Dir ("" when the answer had no body)
	Problems []string // protocol problems found
}

// Resource decodes the answer body as a JSON object (nil when it is not one).
func (e *Exchange) Resource() Resource {
	var r Resource
	if json.Unmarshal(e.Body, &r) != nil {
		return nil
	}
	return r
}

// NewCollector returns a collector writing under dir (created when missing).
func NewCollector(base, dir string, client *http.Client) (*Collector, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if client == nil {
		client = http.DefaultClient
	}
	return &Collector{Base: strings.TrimRight(base, "/"), Dir: dir, Client: client}, nil
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// URL resolves a path against Base.
func (c *Collector) URL(path string) string {
	if strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		return path
	}
	return c.Base + "/" + strings.TrimLeft(path, "/")
}

// Do sends r and records the exchange. Only a transport failure is returned as an error; protocol
// problems are in the exchange's Problems (and in c.Problems()).
func (c *Collector) Do(ctx context.Context, r Request) (*Exchange, error) {
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.URL(r.Path), body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/fhir+json")
	if r.Body != nil {
		req.Header.Set("Content-Type", "application/fhir+json")
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	resp, err := c.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: read the answer: %w", method, req.URL, err)
	}
	c.n++
	ex := &Exchange{Name: r.Name, Method: method, URL: req.URL.String(), Status: resp.StatusCode, Header: resp.Header, Body: b}
	c.check(ex, r.Want)
	if len(bytes.TrimSpace(b)) > 0 {
		ex.File = fmt.Sprintf("%03d-%s-%d.json", c.n, unsafeName.ReplaceAllString(r.Name, "_"), resp.StatusCode)
		if err := os.WriteFile(filepath.Join(c.Dir, ex.File), b, 0o644); err != nil {
			return nil, err
		}
	}
	c.Exchanges = append(c.Exchanges, *ex)
	return ex, nil
}

func (c *Collector) check(ex *Exchange, want []int) {
	bad := func(format string, a ...any) { ex.Problems = append(ex.Problems, fmt.Sprintf(format, a...)) }
	ok := slices.Contains(want, ex.Status) || (len(want) == 0 && ex.Status/100 == 2)
	if !ok {
		wanted := "a 2xx"
		if len(want) > 0 {
			wanted = fmt.Sprint(want)
		}
		bad("status %d, want %s%s", ex.Status, wanted, outcomeText(ex.Body))
	}
	if len(bytes.TrimSpace(ex.Body)) == 0 {
		if ex.Status >= 400 {
			bad("error %d without an OperationOutcome body", ex.Status)
		}
		return
	}
	if ct := ex.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/fhir+json") {
		bad("Content-Type %q, want application/fhir+json", ct)
	}
	var res struct {
		ResourceType string `json:"resourceType"`
	}
	if err := json.Unmarshal(ex.Body, &res); err != nil || res.ResourceType == "" {
		bad("the body is not a FHIR JSON resource: %.200s", ex.Body)
		return
	}
	if ex.Status >= 400 && res.ResourceType != "OperationOutcome" {
		bad("error %d answered with a %s, want an OperationOutcome", ex.Status, res.ResourceType)
	}
}

// outcomeText returns " (first diagnostics)" of an OperationOutcome body, for messages.
func outcomeText(b []byte) string {
	var oo struct {
		Issue []struct {
			Code        string `json:"code"`
			Diagnostics string `json:"diagnostics"`
			Details     struct {
				Text string `json:"text"`
			} `json:"details"`
		} `json:"issue"`
	}
	if json.Unmarshal(b, &oo) != nil || len(oo.Issue) == 0 {
		return ""
	}
	i := oo.Issue[0]
	msg := i.Diagnostics
	if msg == "" {
		msg = i.Details.Text
	}
	return fmt.Sprintf(" (%s: %s)", i.Code, msg)
}

// Problems lists every protocol problem found so far, one line each.
func (c *Collector) Problems() []string {
	var out []string
	for _, ex := range c.Exchanges {
		for _, p := range ex.Problems {
			out = append(out, fmt.Sprintf("%s %s [%s]: %s", ex.Method, ex.URL, ex.Name, p))
		}
	}
	return out
}

// Pages reads a Bundle and every page after it through the `next` links (at most limit pages),
// checks that the pages are Bundles of bundleType and that no entry appears twice, and returns
// the entries' resources.
func (c *Collector) Pages(ctx context.Context, name, path, bundleType string, limit int) ([]Resource, error) {
	var out []Resource
	seen := map[string]bool{}
	next := path
	for page := 1; next != ""; page++ {
		ex, err := c.Do(ctx, Request{Name: fmt.Sprintf("%s-p%d", name, page), Path: next, Want: []int{http.StatusOK}})
		if err != nil {
			return nil, err
		}
		if ex.Status != http.StatusOK {
			return out, nil
		}
		var b struct {
			ResourceType string `json:"resourceType"`
			Type         string `json:"type"`
			Link         []struct {
				Relation string `json:"relation"`
				URL      string `json:"url"`
			} `json:"link"`
			Entry []struct {
				FullURL  string   `json:"fullUrl"`
				Resource Resource `json:"resource"`
				Search   struct {
					Mode string `json:"mode"`
				} `json:"search"`
				Request struct {
					URL string `json:"url"`
				} `json:"request"`
			} `json:"entry"`
		}
		if err := json.Unmarshal(ex.Body, &b); err != nil || b.ResourceType != "Bundle" || b.Type != bundleType {
			c.problem(ex, "page %d of %s is not a %s Bundle", page, path, bundleType)
			return out, nil
		}
		next = ""
		for _, l := range b.Link {
			if l.Relation == "next" {
				next = l.URL
			}
		}
		for _, e := range b.Entry {
			if e.Search.Mode == "outcome" {
				continue
			}
			key := e.FullURL + "|" + e.Request.URL
			if e.Resource != nil {
				if m, ok := e.Resource["meta"].(map[string]any); ok {
					key += "|" + fmt.Sprint(m["versionId"])
				}
				out = append(out, e.Resource)
			}
			if seen[key] {
				c.problem(ex, "entry %s appears twice across the pages of %s", key, path)
			}
			seen[key] = true
		}
		if next != "" && page >= limit {
			c.problem(ex, "more than %d pages for %s: the next links do not end", limit, path)
			break
		}
	}
	return out, nil
}

// problem adds a problem to the last recorded exchange of ex's request.
func (c *Collector) problem(ex *Exchange, format string, a ...any) {
	for i := len(c.Exchanges) - 1; i >= 0; i-- {
		if c.Exchanges[i].URL == ex.URL && c.Exchanges[i].Name == ex.Name {
			c.Exchanges[i].Problems = append(c.Exchanges[i].Problems, fmt.Sprintf(format, a...))
			return
		}
	}
}

// Counts returns how many answers were collected per status code.
func (c *Collector) Counts() map[string]int {
	out := map[string]int{}
	for _, ex := range c.Exchanges {
		out[strconv.Itoa(ex.Status)]++
	}
	return out
}
