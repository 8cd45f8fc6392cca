package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

var (
	fullURLMark = []byte(`"fullUrl":`)
	nextMark    = []byte(`"relation":"next","url":"`)
)

// historyStart is the first page of the system history.
const historyStart = "/fhir/_history?_count=1000"

// nextLink returns the path (from /fhir on) of the bundle's next link, "" when there is none. The
// links come before the entries, so only the head of the bundle is searched.
func nextLink(body []byte) string {
	head := body[:min(len(body), 8192)]
	i := bytes.Index(head, nextMark)
	if i < 0 {
		return ""
	}
	rest := head[i+len(nextMark):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	u := string(rest[:j])
	if k := strings.Index(u, "/fhir/"); k >= 0 {
		return u[k:]
	}
	return ""
}

// historyWorker pages the whole system history following next links, then starts again.
type historyWorker struct{ next string }

func (w *historyWorker) Next() Request {
	p := w.next
	if p == "" {
		p = historyStart
	}
	return Request{Method: http.MethodGet, Path: p, Header: strictSearch}
}

func (w *historyWorker) Check(r Response) (int, error) {
	if r.Status != http.StatusOK {
		w.next = ""
		return 0, StatusError(r, http.StatusOK)
	}
	w.next = nextLink(r.Body)
	return bytes.Count(r.Body, fullURLMark), nil
}

func historyPaging() Scenario {
	return Scenario{Name: "history_paging_system", Description: "GET [base]/_history?_count=1000 following next links over the whole system history; each worker pages on its own (throughput in resources/s)",
		Prepare: func(ctx context.Context, env *Env) (*Plan, error) {
			resp, err := probe(ctx, env, Request{Method: http.MethodGet, Path: historyStart, Header: strictSearch}, http.StatusOK)
			if err != nil {
				return nil, err
			}
			if bytes.Count(resp.Body, fullURLMark) == 0 {
				return nil, fmt.Errorf("the system history is empty")
			}
			return &Plan{Baseline: payloadOf(resp), Items: "resources", NewWorker: func(int) Worker { return &historyWorker{} }}, nil
		}}
}

// transactionSize is the number of creates per transaction bundle.
const transactionSize = 10

// transactionWorker posts transaction bundles of new HealthcareServices.
type transactionWorker struct{ cw *createWorker }

func (w *transactionWorker) Next() Request {
	var b bytes.Buffer
	b.WriteString(`{"resourceType":"Bundle","type":"transaction","entry":[`)
	for k := range transactionSize {
		if k > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"resource":`)
		b.Write(w.cw.Next().Body)
		b.WriteString(`,"request":{"method":"POST","url":"HealthcareService"}}`)
	}
	b.WriteString(`]}`)
	return Request{Method: http.MethodPost, Path: "/fhir", Header: jsonBody, Body: b.Bytes()}
}

func (w *transactionWorker) Check(r Response) (int, error) {
	if r.Status != http.StatusOK {
		return 0, StatusError(r, http.StatusOK)
	}
	return transactionSize, nil
}

func transaction() Scenario {
	return Scenario{Name: "transaction_bundle", Description: "POST [base] a transaction Bundle of 10 HealthcareService creates (throughput in resources/s)",
		Prepare: func(ctx context.Context, env *Env) (*Plan, error) {
			w := &transactionWorker{cw: &createWorker{env: env, rnd: newRand(2000), id: 2000}}
			resp, err := probe(ctx, env, w.Next(), http.StatusOK)
			if err != nil {
				return nil, err
			}
			return &Plan{Baseline: payloadOf(resp), Items: "resources", NewWorker: func(i int) Worker {
				return &transactionWorker{cw: &createWorker{env: env, rnd: newRand(i), id: 3000 + i}}
			}}, nil
		}}
}

// exportPoll is the pause between two status requests of an export (what a client waits for).
const exportPoll = 200 * time.Millisecond

// exportWorker runs whole Bulk Data exports, one step per request: kick-off, status polls, then
// the download of each output file (items: NDJSON lines downloaded).
type exportWorker struct {
	status string   // Content-Location of the export in progress
	files  []string // output files still to download
	polled bool
}

var exportKickoff = Request{Method: http.MethodGet, Path: "/fhir/$export",
	Header: http.Header{"Prefer": {"respond-async"}, "Accept": {"application/fhir+json"}}}

func (w *exportWorker) Next() Request {
	switch {
	case len(w.files) > 0:
		return Request{Method: http.MethodGet, Path: w.files[0], Header: http.Header{"Accept": {"application/fhir+ndjson"}}}
	case w.status != "":
		if w.polled {
			time.Sleep(exportPoll)
		}
		w.polled = true
		return Request{Method: http.MethodGet, Path: w.status, Header: http.Header{"Accept": {"application/json"}}}
	}
	return exportKickoff
}

func (w *exportWorker) Check(r Response) (int, error) {
	switch {
	case len(w.files) > 0:
		w.files = w.files[1:]
		if r.Status != http.StatusOK {
			return 0, StatusError(r, http.StatusOK)
		}
		return bytes.Count(r.Body, []byte("\n")), nil
	case w.status != "":
		if r.Status == http.StatusAccepted {
			return 0, nil
		}
		w.status = ""
		if r.Status != http.StatusOK {
			return 0, StatusError(r, http.StatusOK)
		}
		var m struct{ Output []struct{ URL string } }
		if err := json.Unmarshal(r.Body, &m); err != nil {
			return 0, fmt.Errorf("export manifest: %v", err)
		}
		for _, o := range m.Output {
			if k := strings.Index(o.URL, "/fhir/"); k >= 0 {
				w.files = append(w.files, o.URL[k:])
			}
		}
		return 0, nil
	}
	if r.Status != http.StatusAccepted {
		return 0, StatusError(r, http.StatusAccepted)
	}
	loc := r.Header.Get("Content-Location")
	k := strings.Index(loc, "/fhir/")
	if k < 0 {
		return 0, fmt.Errorf("export kick-off without Content-Location")
	}
	w.status, w.polled = loc[k:], false
	return 0, nil
}

func export() Scenario {
	return Scenario{Name: "export", Description: "Bulk Data $export: kick-off, poll, download of every NDJSON file, one export at a time (throughput in resources/s)",
		Prepare: func(ctx context.Context, env *Env) (*Plan, error) {
			resp, err := probe(ctx, env, exportKickoff, http.StatusAccepted)
			if err != nil {
				return nil, err
			}
			return &Plan{Baseline: payloadOf(resp), Concurrency: 1, Items: "resources", NewWorker: func(int) Worker { return &exportWorker{} }}, nil
		}}
}
