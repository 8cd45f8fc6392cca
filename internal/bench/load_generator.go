package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// Request is one HTTP request of a scenario, relative to the target's base URL.
type Request struct {
	Method string
	Path   string // path and query, starting with "/"
	Header http.Header
	Body   []byte
}

// Response is what came back, body fully read.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Worker produces the requests of one closed-loop client and checks their answers. A worker is
// used by one goroutine only, so it may keep state (versions followed, next links...).
type Worker interface {
	// Next returns the next request to send.
	Next() Request
	// Check validates an answer: an error counts the request as failed. items is the number of
	// resources the answer carried (for throughputs in resources per second).
	Check(resp Response) (items int, err error)
}

// Load describes one closed-loop run: Concurrency workers, each sending its next request as soon
// as the previous one is answered, on keep-alive connections, for Duration.
type Load struct {
	BaseURL     string
	Client      *http.Client
	Concurrency int
	Duration    time.Duration
	NewWorker   func(i int) Worker
	// PerWorker, when > 0, stops each worker after that many requests (Duration 0 = no time limit).
	PerWorker int
	// NoCheck skips Worker.Check (the baseline server is only asked for its status, Status).
	NoCheck bool
	// Status is the status expected when NoCheck is set (default 200).
	Status int
}

// Stats are the measures of one run.
type Stats struct {
	Requests int64
	Errors   int64
	Items    int64
	BytesIn  int64
	Elapsed  time.Duration
	Hist     Histogram
	// ErrorReasons counts failures by reason (at most maxReasons distinct, then "other").
	ErrorReasons map[string]int64
}

const maxReasons = 8

// RPS is the request throughput (all requests, failed included).
func (s *Stats) RPS() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Requests) / s.Elapsed.Seconds()
}

// ItemsPerSecond is the resource throughput.
func (s *Stats) ItemsPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Items) / s.Elapsed.Seconds()
}

// TopReasons lists the error reasons, most frequent first, as "reason (count)".
func (s *Stats) TopReasons() []string {
	type rc struct {
		r string
		c int64
	}
	var l []rc
	for r, c := range s.ErrorReasons {
		l = append(l, rc{r, c})
	}
	sort.Slice(l, func(i, j int) bool { return l[i].c > l[j].c || l[i].c == l[j].c && l[i].r < l[j].r })
	out := make([]string, len(l))
	for i, x := range l {
		out[i] = fmt.Sprintf("%s (%d)", x.r, x.c)
	}
	return out
}

func (s *Stats) addError(reason string) { s.addErrors(reason, 1) }

func (s *Stats) addErrors(reason string, n int64) {
	s.Errors += n
	if s.ErrorReasons == nil {
		s.ErrorReasons = map[string]int64{}
	}
	if _, ok := s.ErrorReasons[reason]; !ok && len(s.ErrorReasons) >= maxReasons {
		reason = "other"
	}
	s.ErrorReasons[reason] += n
}

func (s *Stats) merge(o *Stats) {
	s.Requests += o.Requests
	s.Items += o.Items
	s.BytesIn += o.BytesIn
	s.Hist.Merge(&o.Hist)
	for r, c := range o.ErrorReasons {
		s.addErrors(r, c)
	}
}

// NewClient returns an HTTP client for n concurrent workers: keep-alive connections reused (one
// idle connection kept per worker), no compression, timeout bounding a stuck request.
func NewClient(n int, timeout time.Duration) *http.Client {
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        4 * n,
		MaxIdleConnsPerHost: 2 * n,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &http.Client{Transport: tr, Timeout: timeout}
}

// Drive runs l and returns its measures. It stops early when ctx is cancelled. Requests still in
// flight at the deadline are waited for and counted; Elapsed covers them.
func Drive(ctx context.Context, l Load) Stats {
	if l.Status == 0 {
		l.Status = http.StatusOK
	}
	n := max(l.Concurrency, 1)
	per := make([]Stats, n)
	start := time.Now()
	deadline := start.Add(l.Duration)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := l.NewWorker(i)
			st := &per[i]
			for k := 0; ctx.Err() == nil; k++ {
				if l.PerWorker > 0 && k >= l.PerWorker || l.Duration > 0 && !time.Now().Before(deadline) {
					break
				}
				one(ctx, l, w, st)
			}
		}()
	}
	wg.Wait()
	total := Stats{Elapsed: time.Since(start)}
	for i := range per {
		total.merge(&per[i])
	}
	return total
}

// one sends one request and records it.
func one(ctx context.Context, l Load, w Worker, st *Stats) {
	rq := w.Next()
	t0 := time.Now()
	resp, err := send(ctx, l.Client, l.BaseURL, rq)
	st.Hist.Record(time.Since(t0))
	st.Requests++
	if err != nil {
		st.addError(transportReason(err))
		return
	}
	st.BytesIn += int64(len(resp.Body))
	if l.NoCheck {
		if resp.Status != l.Status {
			st.addError(fmt.Sprintf("status %d", resp.Status))
		}
		return
	}
	items, err := w.Check(resp)
	if err != nil {
		st.addError(err.Error())
		return
	}
	st.Items += int64(items)
}

// send performs rq against base and reads the whole answer (so that the connection is reused).
func send(ctx context.Context, c *http.Client, base string, rq Request) (Response, error) {
	var body io.Reader
	if rq.Body != nil {
		body = bytes.NewReader(rq.Body)
	}
	req, err := http.NewRequestWithContext(ctx, rq.Method, base+rq.Path, body)
	if err != nil {
		return Response{}, err
	}
	for k, vs := range rq.Header {
		req.Header[k] = vs
	}
	resp, err := c.Do(req)
	if err != nil {
		return Response{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return Response{}, err
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: b}, nil
}

// transportReason is a short, groupable reason for a transport failure.
func transportReason(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return "transport: cancelled"
	case errors.As(err, &ne) && ne.Timeout():
		return "transport: timeout"
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return "transport: " + msg
}

// StatusError is the error of an answer whose status is not the expected one; it keeps the start
// of the body (the OperationOutcome says why).
func StatusError(r Response, want int) error {
	return fmt.Errorf("status %d, want %d: %s", r.Status, want, snippet(r.Body, 160))
}

// snippet returns the start of b on one line.
func snippet(b []byte, n int) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > n {
		s = s[:n] + "..."
	}
	return s
}
