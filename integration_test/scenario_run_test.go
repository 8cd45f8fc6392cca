package integration

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// scenario is one HTTP exchange and what its answer must be.
type scenario struct {
	name    string
	method  string
	path    string
	headers []string // "Name: value"
	body    string
	// expectations
	status int
	header map[string]string // exact value; "*" present; "~re" regexp; "-" absent
	json   string            // subset of the answer (see matchJSON); "-" for an empty body; "" unchecked
	auth   string            // "interaction Type" the authorizer must have seen ("" unchecked)
	// capture stores the id of the Location header under this name ({name} in later scenarios).
	capture string
}

// run plays the scenarios in order on one server.
func (e *env) run(scenarios []scenario) {
	e.t.Helper()
	for _, sc := range scenarios {
		ok := e.t.(*testing.T).Run(sc.name, func(t *testing.T) {
			headers := append([]string{"X-Request-Id: " + requestID(sc.name)}, sc.headers...)
			res := e.do(sc.method, sc.path, sc.body, headers...)
			if res.status != sc.status {
				t.Fatalf("%s %s: status %d, want %d\n%s", sc.method, sc.path, res.status, sc.status, res.body)
			}
			if got := res.header.Get("X-Request-Id"); got != requestID(sc.name) {
				t.Errorf("X-Request-Id %q not echoed (got %q)", requestID(sc.name), got)
			}
			if strings.HasPrefix(sc.path, "/fhir") && len(res.body) > 0 {
				if ct := res.header.Get("Content-Type"); ct != "application/fhir+json; charset=utf-8" {
					t.Errorf("Content-Type %q", ct)
				}
			}
			for k, want := range sc.header {
				got := res.header.Get(k)
				switch {
				case want == "-":
					if got != "" {
						t.Errorf("header %s: want absent, got %q", k, got)
					}
				case want == "*":
					if got == "" {
						t.Errorf("header %s missing", k)
					}
				case strings.HasPrefix(want, "~"):
					if !regexp.MustCompile(e.expand(want[1:])).MatchString(got) {
						t.Errorf("header %s: %q does not match %s", k, got, e.expand(want[1:]))
					}
				default:
					if got != e.expand(want) {
						t.Errorf("header %s: %q, want %q", k, got, e.expand(want))
					}
				}
			}
			switch sc.json {
			case "":
			case "-":
				if len(res.body) != 0 {
					t.Errorf("want an empty body, got %s", res.body)
				}
			default:
				var want, got any
				if err := json.Unmarshal([]byte(e.expand(sc.json)), &want); err != nil {
					t.Fatalf("bad expected JSON: %v", err)
				}
				if err := json.Unmarshal(res.body, &got); err != nil {
					t.Fatalf("answer is not JSON: %v\n%s", err, res.body)
				}
				if d := matchJSON("$", want, got); d != "" {
					t.Errorf("%s\nanswer: %s", d, res.body)
				}
			}
			if sc.auth != "" {
				r, ok := e.auth.request(requestID(sc.name))
				if !ok {
					t.Errorf("the authorizer was not called")
				} else if got := strings.TrimSpace(fmt.Sprintf("%s %s", r.Interaction, r.Type)); got != sc.auth {
					t.Errorf("authorizer saw %q, want %q", got, sc.auth)
				}
			}
			if sc.capture != "" {
				m := regexp.MustCompile(`/fhir/[A-Za-z]+/([A-Za-z0-9\-.]+)/_history/`).FindStringSubmatch(res.header.Get("Location"))
				if m == nil {
					t.Fatalf("no id in Location %q", res.header.Get("Location"))
				}
				e.vars[sc.capture] = m[1]
			}
		})
		if !ok && sc.capture != "" {
			e.t.Fatalf("scenario %q failed and later ones depend on it", sc.name)
		}
	}
}

// requestID derives a request id from a scenario name.
func requestID(name string) string {
	return "t-" + regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(name, "-")
}
