package bench

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// Payload is one canned answer of the baseline server.
type Payload struct {
	Status      int
	ContentType string
	Body        []byte
}

// BaselineServer is a plain net/http server on loopback answering every request with the current
// Payload from memory (the request body is read and dropped): the ceiling of the HTTP stack and
// the load generator on this machine, for the same bytes as the real server.
type BaselineServer struct {
	URL     string
	payload atomic.Pointer[Payload]
	srv     *http.Server
	done    chan error
}

// StartBaseline listens on a loopback port and serves until Close.
func StartBaseline() (*BaselineServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &BaselineServer{URL: "http://" + ln.Addr().String(), done: make(chan error, 1)}
	b.payload.Store(&Payload{Status: http.StatusOK})
	b.srv = &http.Server{Handler: http.HandlerFunc(b.serve), ReadHeaderTimeout: 10 * time.Second}
	go func() { b.done <- b.srv.Serve(ln) }()
	return b, nil
}

// Set makes p the answer to every following request.
func (b *BaselineServer) Set(p Payload) {
	if p.Status == 0 {
		p.Status = http.StatusOK
	}
	b.payload.Store(&p)
}

func (b *BaselineServer) serve(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	p := b.payload.Load()
	if p.ContentType != "" {
		w.Header().Set("Content-Type", p.ContentType)
	}
	w.WriteHeader(p.Status)
	_, _ = w.Write(p.Body)
}

// Close stops the server.
func (b *BaselineServer) Close(ctx context.Context) error {
	err := b.srv.Shutdown(ctx)
	if serr := <-b.done; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}
