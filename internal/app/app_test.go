package app

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/rorfhir/ror/internal/config"
	"github.com/rorfhir/ror/store/sqlite"
)

// logSignal is a log writer that closes a channel when a line containing want is written.
type logSignal struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	hit  chan struct{}
	once sync.Once
}

func (l *logSignal) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if strings.Contains(string(p), l.want) {
		l.once.Do(func() { close(l.hit) })
	}
	return l.buf.Write(p)
}

// On shutdown, a request already in flight finishes with its answer before Serve returns.
func TestServeFinishesInFlightRequests(t *testing.T) {
	started := make(chan struct{})
	sig := &logSignal{want: "shutting down", hit: make(chan struct{})}
	a := &App{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			close(started)
			<-sig.hit // answer only once the shutdown has begun
			_, _ = io.WriteString(w, "finished")
		}),
		log: zerolog.New(sig),
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, ln, 10*time.Second) }()

	type answer struct {
		body string
		err  error
	}
	got := make(chan answer, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			got <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- answer{string(b), err}
	}()
	<-started
	cancel()
	ans := <-got
	if ans.err != nil || ans.body != "finished" {
		t.Fatalf("in-flight request: body %q, err %v; want it answered during shutdown", ans.body, ans.err)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("the listener still accepts connections after shutdown")
	}
}

func TestBuildRejectsInvalidConfig(t *testing.T) {
	cfg := config.Defaults()
	cfg.Auth = "jwt" // without a secret or key
	if _, err := Build(context.Background(), cfg, zerolog.Nop()); err == nil || !strings.Contains(err.Error(), "--auth jwt") {
		t.Fatalf("err = %v, want a configuration error naming --auth jwt", err)
	}
}

func TestBuildServesOnEmbeddedStore(t *testing.T) {
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	a, err := Build(context.Background(), cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close(context.Background())
	if a.Backend != "sqlite" {
		t.Errorf("backend %q, want sqlite", a.Backend)
	}
	srv := &http.Server{Handler: a.Handler}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	resp, err := http.Get("http://" + ln.Addr().String() + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz = %d, want 200", resp.StatusCode)
	}
}

// A second process (here: a second open) cannot write the embedded store a server holds.
func TestDataDirIsExclusive(t *testing.T) {
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	st, _, err := OpenStore(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := OpenStore(context.Background(), cfg); !errors.Is(err, sqlite.ErrInUse) {
		t.Fatalf("second open: err = %v, want sqlite.ErrInUse", err)
	}
	if err := st.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	st2, _, err := OpenStore(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	_ = st2.Close(context.Background())
}
