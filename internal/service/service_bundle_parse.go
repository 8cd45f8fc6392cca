package service

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/internal/auth"
)

// bundleEntry is one entry of a batch or transaction, read from its request.
type bundleEntry struct {
	index       int
	method      string // GET, HEAD, POST, PUT, PATCH or DELETE
	url         string // request.url as sent
	interaction auth.Interaction
	typ, id     string
	vid         string     // vread
	query       url.Values // search
	fullURL     string
	resource    []byte
	patch       jsonPatch // PATCH: the JSON Patch of the Binary resource
	ifMatch     int64
	ifNoneExist string
	// err is why the entry cannot be carried out (a batch answers it in the entry, a transaction
	// fails with it).
	err error
}

// label names the entry's request in messages: "PUT Organization/x".
func (e bundleEntry) label() string {
	if e.method == "" && e.url == "" {
		return "no request"
	}
	return strings.TrimSpace(e.method + " " + e.url)
}

// key is the resource a PUT, PATCH, DELETE, read or vread entry is about: "Type/id".
func (e bundleEntry) key() string { return e.typ + "/" + e.id }

// writes reports whether the entry changes data.
func (e bundleEntry) writes() bool { return e.interaction.IsWrite() }

// localReference reports whether a fullUrl is one references to the entry's resource use while
// the Bundle is processed (urn:uuid:... or urn:oid:...).
func localReference(fullURL string) bool {
	return strings.HasPrefix(fullURL, "urn:uuid:") || strings.HasPrefix(fullURL, "urn:oid:")
}

// parseBundle reads a batch or transaction Bundle: its type and its entries (an entry that cannot
// be read carries its error). Failures of the Bundle itself are 400, or 413 when it has more
// entries than allowed.
func (s *Service) parseBundle(body []byte, base string) (string, []bundleEntry, error) {
	if int64(len(body)) > s.opts.MaxBodyBytes {
		return "", nil, fherr.Invalid("too-long", "", "the body is larger than the limit of %d bytes", s.opts.MaxBodyBytes)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return "", nil, fherr.Invalid("required", "", "the request has no body; a Bundle of type batch or transaction was expected")
	}
	var b struct {
		ResourceType string            `json:"resourceType"`
		Type         string            `json:"type"`
		Entry        []json.RawMessage `json:"entry"`
	}
	if err := json.Unmarshal(body, &b); err != nil {
		return "", nil, asInvalid(err, "structure", "the body is not a JSON Bundle")
	}
	if b.ResourceType != "Bundle" {
		return "", nil, fherr.Invalid("invalid", "resourceType",
			"POST [base] expects a Bundle of type batch or transaction, got resourceType %q", b.ResourceType)
	}
	if b.Type != "batch" && b.Type != "transaction" {
		return "", nil, fherr.Invalid("value", "Bundle.type",
			"Bundle.type must be batch or transaction to be processed, got %q", b.Type)
	}
	if len(b.Entry) > s.opts.MaxBundleEntries {
		return "", nil, fherr.New(fherr.KindTooLarge, "too-long", "Bundle.entry",
			"the Bundle has %d entries; this server accepts at most %d in a batch or transaction: split it", len(b.Entry), s.opts.MaxBundleEntries)
	}
	entries := make([]bundleEntry, len(b.Entry))
	fullURLs := map[string]int{}
	for i, raw := range b.Entry {
		e := s.parseEntry(i, raw, base)
		if first, dup := fullURLs[e.fullURL]; dup && e.fullURL != "" && e.err == nil {
			e.err = fherr.Invalid("invalid", fmt.Sprintf("Bundle.entry[%d].fullUrl", i),
				"fullUrl %q is also the fullUrl of Bundle.entry[%d]", e.fullURL, first)
		} else if !dup {
			fullURLs[e.fullURL] = i
		}
		entries[i] = e
	}
	return b.Type, entries, nil
}

// rawEntry is a Bundle entry as sent.
type rawEntry struct {
	FullURL  string          `json:"fullUrl"`
	Resource json.RawMessage `json:"resource"`
	Request  *struct {
		Method          string `json:"method"`
		URL             string `json:"url"`
		IfNoneMatch     string `json:"ifNoneMatch"`
		IfModifiedSince string `json:"ifModifiedSince"`
		IfMatch         string `json:"ifMatch"`
		IfNoneExist     string `json:"ifNoneExist"`
	} `json:"request"`
}

// parseEntry reads entry i: which interaction its request stands for, on what, with what.
func (s *Service) parseEntry(i int, raw json.RawMessage, base string) bundleEntry {
	e := bundleEntry{index: i}
	at := fmt.Sprintf("Bundle.entry[%d]", i)
	var r rawEntry
	if err := json.Unmarshal(raw, &r); err != nil {
		e.err = asInvalid(err, "structure", "%s is not a Bundle entry", at)
		return e
	}
	e.fullURL = r.FullURL
	if r.Request == nil {
		e.err = fherr.Invalid("required", at+".request", "%s has no request: each entry of a batch or transaction says what to do", at)
		return e
	}
	e.method, e.url, e.ifNoneExist = r.Request.Method, r.Request.URL, r.Request.IfNoneExist
	if len(r.Resource) > 0 && !bytes.Equal(bytes.TrimSpace(r.Resource), []byte("null")) {
		e.resource = r.Resource
	}
	if e.err = s.readEntryRequest(&e, at, base); e.err != nil {
		return e
	}
	switch {
	case r.Request.IfNoneMatch != "" || r.Request.IfModifiedSince != "":
		e.err = fherr.Invalid("not-supported", at+".request",
			"request.ifNoneMatch and request.ifModifiedSince (conditional reads) are not supported in a batch or transaction")
	case e.ifNoneExist != "" && e.interaction != auth.Create:
		e.err = fherr.Invalid("invalid", at+".request.ifNoneExist", "request.ifNoneExist applies to a POST (create) only")
	case r.Request.IfMatch != "" && e.interaction != auth.Update && e.interaction != auth.Patch && e.interaction != auth.Delete:
		e.err = fherr.Invalid("invalid", at+".request.ifMatch", "request.ifMatch applies to PUT, PATCH and DELETE only")
	default:
		e.ifMatch, e.err = parseVersionTag("request.ifMatch", r.Request.IfMatch)
	}
	if e.err == nil && e.interaction == auth.Patch {
		e.err = s.readEntryPatch(&e, at)
	}
	return e
}

// readEntryRequest sets the interaction, type, id and query of e from its method and URL.
func (s *Service) readEntryRequest(e *bundleEntry, at, base string) error {
	u := strings.TrimSpace(e.url)
	if u == "" {
		return fherr.Invalid("required", at+".request.url", "%s has no request.url", at)
	}
	if p, _, _ := strings.Cut(u, "?"); strings.Contains(p, "://") { // an absolute URL (a query may hold URLs)
		rest, ok := strings.CutPrefix(u, strings.TrimRight(base, "/")+"/")
		if base == "" || !ok {
			return fherr.Invalid("invalid", at+".request.url", "request.url %q is not on this server (%s)", u, base)
		}
		u = rest
	}
	path, rawQuery, _ := strings.Cut(strings.TrimPrefix(u, "/"), "?")
	query, err := url.ParseQuery(rawQuery)
	if err != nil {
		return fherr.Invalid("invalid", at+".request.url", "the query of request.url %q cannot be read: %v", e.url, err)
	}
	seg := strings.Split(path, "/")
	e.typ = seg[0]
	if err := s.checkType(e.typ); err != nil {
		return fherr.New(fherr.KindNotFound, "not-supported", at+".request.url",
			"request.url %q: resource type %q is not served in a batch or transaction", e.url, e.typ)
	}
	unsupported := func(what string) error {
		return fherr.NotSupported(fherr.KindNotAllowed, "%s %s: %s is not supported in a batch or transaction", e.method, e.url, what)
	}
	switch e.method {
	case http.MethodGet, http.MethodHead:
		switch {
		case len(seg) == 1:
			e.interaction, e.query = auth.Search, query
		case len(seg) == 2:
			e.interaction, e.id = auth.Read, seg[1]
		case len(seg) == 4 && seg[2] == "_history":
			e.interaction, e.id, e.vid = auth.VRead, seg[1], seg[3]
		default:
			return unsupported("this read (read, vread and type-level search are)")
		}
	case http.MethodPost:
		if len(seg) != 1 || rawQuery != "" {
			return unsupported("a POST other than a create on [type]")
		}
		e.interaction = auth.Create
	case http.MethodPut, http.MethodPatch, http.MethodDelete:
		if len(seg) == 1 && rawQuery != "" {
			return unsupported("a conditional " + strings.ToLower(e.method) + " (on a search)")
		}
		if len(seg) != 2 || rawQuery != "" {
			return unsupported("this URL (" + e.method + " takes [type]/[id])")
		}
		e.id = seg[1]
		e.interaction = map[string]auth.Interaction{http.MethodPut: auth.Update, http.MethodPatch: auth.Patch, http.MethodDelete: auth.Delete}[e.method]
	default:
		return fherr.Invalid("value", at+".request.method",
			"request.method %q is not one of GET, HEAD, POST, PUT, PATCH, DELETE", e.method)
	}
	switch e.interaction {
	case auth.Create, auth.Update:
		if e.resource == nil {
			return fherr.Invalid("required", at+".resource", "%s %s needs the resource", e.method, e.url)
		}
	case auth.Patch:
		if e.resource == nil {
			return fherr.Invalid("required", at+".resource", "%s %s needs a Binary resource holding the JSON Patch", e.method, e.url)
		}
	}
	return nil
}

// readEntryPatch reads the JSON Patch of a PATCH entry: a Binary resource with contentType
// application/json-patch+json and the document base64-encoded in data.
func (s *Service) readEntryPatch(e *bundleEntry, at string) error {
	var b struct {
		ResourceType string `json:"resourceType"`
		ContentType  string `json:"contentType"`
		Data         string `json:"data"`
	}
	if err := json.Unmarshal(e.resource, &b); err != nil {
		return asInvalid(err, "structure", "%s.resource is not a resource", at)
	}
	switch {
	case b.ResourceType == "Parameters":
		return fherr.NotSupported(fherr.KindUnsupportedMedia,
			"%s: FHIRPath Patch (a Parameters resource) is not supported; send the JSON Patch (RFC 6902) as a Binary with contentType %s", at, ContentTypeJSONPatch)
	case b.ResourceType != "Binary":
		return fherr.Invalid("invalid", at+".resource", "a PATCH entry's resource must be a Binary holding a JSON Patch, got %q", b.ResourceType)
	}
	if mt, _, err := mime.ParseMediaType(b.ContentType); err != nil || mt != ContentTypeJSONPatch {
		return fherr.NotSupported(fherr.KindUnsupportedMedia,
			"%s: Binary.contentType %q is not supported: a PATCH entry holds a JSON Patch (RFC 6902) with contentType %s", at, b.ContentType, ContentTypeJSONPatch)
	}
	doc, err := base64.StdEncoding.DecodeString(b.Data)
	if err != nil {
		return asInvalid(err, "invalid", "%s.resource.data is not base64", at)
	}
	e.patch, err = parsePatch(doc, s.opts.MaxBodyBytes)
	return err
}
