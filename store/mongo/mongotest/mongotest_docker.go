package mongotest

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/modules/mongodb"
)

// dockerProbeTimeout bounds the check that a Docker engine answers: a machine with only the
// docker client must fall through to FerretDB at once.
const dockerProbeTimeout = 2 * time.Second

// dockerEndpoints lists where a Docker engine may listen, in the order testcontainers-go looks:
// DOCKER_HOST, the default socket, then rootless and Docker Desktop sockets.
func dockerEndpoints() []string {
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		return []string{h}
	}
	eps := []string{"unix:///var/run/docker.sock"}
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		eps = append(eps, "unix://"+filepath.Join(d, "docker.sock"))
	}
	if h, err := os.UserHomeDir(); err == nil {
		eps = append(eps, "unix://"+filepath.Join(h, ".docker", "run", "docker.sock"),
			"unix://"+filepath.Join(h, ".docker", "desktop", "docker.sock"))
	}
	return eps
}

// dockerRuns says whether one of the endpoints answers.
func dockerRuns() bool {
	for _, ep := range dockerEndpoints() {
		if dockerAnswers(ep) {
			return true
		}
	}
	return false
}

// dockerAnswers says whether a Docker engine answers GET /_ping at endpoint (unix:// or tcp://).
func dockerAnswers(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil {
		return false
	}
	var dial func(ctx context.Context) (net.Conn, error)
	d := net.Dialer{Timeout: dockerProbeTimeout}
	switch u.Scheme {
	case "unix":
		if _, err := os.Stat(u.Path); err != nil {
			return false
		}
		dial = func(ctx context.Context) (net.Conn, error) { return d.DialContext(ctx, "unix", u.Path) }
	case "tcp":
		dial = func(ctx context.Context) (net.Conn, error) { return d.DialContext(ctx, "tcp", u.Host) }
	default:
		return false
	}
	client := http.Client{
		Timeout: dockerProbeTimeout,
		Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return dial(ctx)
		}},
	}
	defer client.CloseIdleConnections()
	resp, err := client.Get("http://docker/_ping")
	if err != nil {
		return false
	}
	defer func() { _ = resp.Body.Close() }()
	return resp.StatusCode == http.StatusOK
}

// startContainer runs mongo:7 as a one-member replica set (transactions available) until t ends.
func startContainer(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c, err := mongodb.Run(ctx, "mongo:7", mongodb.WithReplicaSet("rs0"))
	testcontainers.CleanupContainer(t, c)
	if err != nil {
		t.Fatalf("mongotest: start mongo:7 container: %v", err)
	}
	uri, err := c.ConnectionString(ctx)
	if err != nil {
		t.Fatalf("mongotest: container connection string: %v", err)
	}
	// The replica set advertises the container's own host name; talk to the mapped port directly.
	if i := strings.IndexByte(uri, '?'); i >= 0 {
		uri = uri[:i]
	}
	return uri + "?directConnection=true"
}
