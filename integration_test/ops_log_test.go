package integration

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rorfhir/ror/internal/service"
)

func TestOneLogLinePerRequest(t *testing.T) {
	e := newEnv(t, service.Options{})
	e.do("GET", "/fhir/Organization/nope", "", "X-Request-Id: abc-1")
	res := e.do("GET", "/healthz", "")
	gen := res.header.Get("X-Request-Id")
	if gen == "" {
		t.Fatal("no X-Request-Id generated")
	}
	e.do("GET", "/fhir/Organization/x", "", "Authorization: Bearer panic", "X-Request-Id: boom")
	lines := strings.Split(strings.TrimSpace(e.logs.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 log lines, got %d:\n%s", len(lines), e.logs.String())
	}
	var first, last map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"request_id", "method", "path", "status", "latency", "bytes"} {
		if _, ok := first[k]; !ok {
			t.Errorf("log line lacks %s: %s", k, lines[0])
		}
	}
	if first["request_id"] != "abc-1" || first["status"] != float64(404) || first["path"] != "/fhir/Organization/nope" {
		t.Errorf("log line: %s", lines[0])
	}
	if !strings.Contains(lines[1], gen) {
		t.Errorf("generated id %q not logged: %s", gen, lines[1])
	}
	if err := json.Unmarshal([]byte(lines[2]), &last); err != nil {
		t.Fatal(err)
	}
	if last["level"] != "error" || !strings.Contains(lines[2], "authorizer exploded") || last["stack"] == nil {
		t.Errorf("the panic's cause must be logged: %s", lines[2])
	}
}
