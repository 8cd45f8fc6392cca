package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// countingWorker asks for /n/<worker>/<k> and fails the answers whose body says "bad".
type countingWorker struct {
	id, k int
}

func (w *countingWorker) Next() Request {
	w.k++
	return Request{Method: http.MethodGet, Path: fmt.Sprintf("/n/%d/%d", w.id, w.k)}
}

func (w *countingWorker) Check(r Response) (int, error) {
	if r.Status != http.StatusOK {
		return 0, StatusError(r, http.StatusOK)
	}
	if string(r.Body) == "bad" {
		return 0, errors.New("bad body")
	}
	return 2, nil
}

func TestDriveCountsRequestsAndErrors(t *testing.T) {
	var hits, conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		switch n % 10 {
		case 3:
			http.Error(w, "boom", http.StatusInternalServerError)
		case 7:
			_, _ = w.Write([]byte("bad"))
		default:
			_, _ = w.Write([]byte("ok"))
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()

	const workers, per = 4, 50
	st := Drive(context.Background(), Load{
		BaseURL: srv.URL, Client: NewClient(workers, 5*time.Second), Concurrency: workers,
		PerWorker: per, NewWorker: func(i int) Worker { return &countingWorker{id: i} },
	})
	if st.Requests != workers*per || hits.Load() != workers*per {
		t.Fatalf("requests %d, server hits %d, want %d", st.Requests, hits.Load(), workers*per)
	}
	if st.Errors != 40 { // 2 in every 10
		t.Fatalf("errors %d, want 40 (%v)", st.Errors, st.TopReasons())
	}
	if st.ErrorReasons["bad body"] != 20 {
		t.Fatalf("reasons %v", st.ErrorReasons)
	}
	if st.Items != 2*(workers*per-40) {
		t.Fatalf("items %d", st.Items)
	}
	if st.Hist.Count() != workers*per || st.RPS() <= 0 {
		t.Fatalf("histogram %d, rps %f", st.Hist.Count(), st.RPS())
	}
	// a connection goes back to the idle pool asynchronously after its body is read, so a worker
	// may now and then dial a new one; 200 requests over at most 2 per worker is reuse
	if c := conns.Load(); c > 2*workers {
		t.Fatalf("%d connections for %d workers: keep-alive not reused", c, workers)
	}
}

func TestDriveNoCheckAndTransportErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
	}))
	st := Drive(context.Background(), Load{
		BaseURL: srv.URL, Client: NewClient(2, 5*time.Second), Concurrency: 2, PerWorker: 5,
		NewWorker: func(i int) Worker { return &countingWorker{id: i} }, NoCheck: true, Status: http.StatusCreated,
	})
	if st.Requests != 10 || st.Errors != 0 {
		t.Fatalf("no-check run: %d requests, %d errors %v", st.Requests, st.Errors, st.TopReasons())
	}
	srv.Close()
	st = Drive(context.Background(), Load{
		BaseURL: srv.URL, Client: NewClient(2, 5*time.Second), Concurrency: 2, PerWorker: 3,
		NewWorker: func(i int) Worker { return &countingWorker{id: i} },
	})
	if st.Requests != 6 || st.Errors != 6 {
		t.Fatalf("closed server: %d requests, %d errors", st.Requests, st.Errors)
	}
	for r := range st.ErrorReasons {
		if r[:10] != "transport:" {
			t.Fatalf("reason %q", r)
		}
	}
}

func TestDriveStopsAtDuration(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	st := Drive(context.Background(), Load{
		BaseURL: srv.URL, Client: NewClient(2, 5*time.Second), Concurrency: 2, Duration: 50 * time.Millisecond,
		NewWorker: func(i int) Worker { return &countingWorker{id: i} },
	})
	if st.Requests == 0 || st.Elapsed < 50*time.Millisecond {
		t.Fatalf("%d requests in %v", st.Requests, st.Elapsed)
	}
}

func TestHistogramQuantiles(t *testing.T) {
	var h Histogram
	for v := 1; v <= 1000; v++ { // 1..1000 µs
		h.Record(time.Duration(v) * time.Microsecond)
	}
	for _, c := range []struct {
		q    float64
		want int64
	}{{0.5, 500}, {0.99, 990}, {0.01, 10}, {1, 1000}} {
		got := h.Quantile(c.q).Microseconds()
		if d := float64(got-c.want) / float64(c.want); d > 0.02 || d < -0.02 {
			t.Errorf("q%.2f = %d µs, want %d ±2%%", c.q, got, c.want)
		}
	}
	var big Histogram
	big.Record(3 * time.Second)
	big.Record(40 * time.Microsecond)
	if got := big.Quantile(0.5); got != 40*time.Microsecond {
		t.Errorf("exact small values: %v", got)
	}
	if got := big.Quantile(0.99); got < 2950*time.Millisecond || got > 3*time.Second {
		t.Errorf("p99 of a 3 s value: %v", got)
	}
	var m Histogram
	m.Merge(&h)
	m.Merge(&big)
	if m.Count() != 1002 || m.Max() != 3*time.Second {
		t.Errorf("merge: %d values, max %v", m.Count(), m.Max())
	}
	for v := int64(0); v < 1<<20; v = v*3/2 + 1 {
		if got := bucketValue(bucket(v)); float64(absDiff(got, v)) > float64(v)/64+1 {
			t.Fatalf("bucket of %d stands for %d", v, got)
		}
	}
	var empty Histogram
	if empty.Quantile(0.5) != 0 {
		t.Error("empty histogram")
	}
}

func absDiff(a, b int64) int64 {
	if a > b {
		return a - b
	}
	return b - a
}
