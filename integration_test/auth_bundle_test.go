package integration

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// With `ror serve --auth jwt`, each entry of a batch or transaction is decided as the same
// interaction sent alone; a transaction with one forbidden entry is refused whole (403, nothing
// stored), a batch answers 403 in that entry only. PATCH is decided as an update.
func TestJWTAccessToBundlesAndPatch(t *testing.T) {
	srv, mint := jwtServer(t)
	reader := mint("system/*.rs")
	orgWriter := mint("system/Organization.cruds")
	both := mint("system/Organization.cruds system/HealthcareService.c")
	v1Writer := mint("system/Organization.write system/Organization.read")
	creator := mint("system/Organization.c")
	do := func(method, path, token, contentType, body string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	const fhirJSON = "application/fhir+json"
	bundle := func(typ, value string) string {
		return `{"resourceType":"Bundle","type":"` + typ + `","entry":[
			{"fullUrl":"urn:uuid:1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0","resource":` + orgWithIdentifier("", value, "Auth") + `,"request":{"method":"POST","url":"Organization"}},
			{"resource":{"resourceType":"HealthcareService","providedBy":{"reference":"urn:uuid:1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"}},"request":{"method":"POST","url":"HealthcareService"}}]}`
	}
	stored := func(value string) int {
		t.Helper()
		status, b := do("GET", "/fhir/Organization?identifier=urn:sys|"+value+"&_total=accurate", reader, "", "")
		var sr struct{ Total int }
		if status != 200 || json.Unmarshal(b, &sr) != nil {
			t.Fatalf("search: %d %s", status, b)
		}
		return sr.Total
	}

	t.Run("no token", func(t *testing.T) {
		if status, b := do("POST", "/fhir", "", fhirJSON, bundle("transaction", "A0")); status != 401 {
			t.Fatalf("want 401, got %d %s", status, b)
		}
	})
	t.Run("transaction with a forbidden entry is refused whole", func(t *testing.T) {
		status, b := do("POST", "/fhir", orgWriter, fhirJSON, bundle("transaction", "A1"))
		if status != 403 || !issueSays(t, b, "forbidden", "Bundle.entry[1] (POST HealthcareService): the token's scopes (system/Organization.cruds) do not allow create on HealthcareService", "Bundle.entry[1]") {
			t.Fatalf("want 403 naming Bundle.entry[1], got %d %s", status, b)
		}
		if n := stored("A1"); n != 0 {
			t.Fatalf("the refused transaction stored its Organization (%d)", n)
		}
	})
	t.Run("transaction with every entry allowed", func(t *testing.T) {
		if status, b := do("POST", "/fhir", both, fhirJSON, bundle("transaction", "A2")); status != 200 {
			t.Fatalf("want 200, got %d %s", status, b)
		}
		if n := stored("A2"); n != 1 {
			t.Fatalf("%d Organizations stored, want 1", n)
		}
	})
	t.Run("batch answers 403 in the forbidden entry only", func(t *testing.T) {
		status, b := do("POST", "/fhir", orgWriter, fhirJSON, strings.Replace(bundle("batch", "A3"), `"reference":"urn:uuid:1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"`, `"reference":"Organization/x"`, 1))
		var ans bundleAnswer
		if status != 200 || json.Unmarshal(b, &ans) != nil || len(ans.Entry) != 2 {
			t.Fatalf("want 200, got %d %s", status, b)
		}
		if ans.Entry[0].Response.Status != "201 Created" || ans.Entry[1].Response.Status != "403 Forbidden" ||
			ans.Entry[1].Response.Outcome == nil || ans.Entry[1].Response.Outcome.Issue[0].Code != "forbidden" {
			t.Fatalf("entries: %s", b)
		}
		if n := stored("A3"); n != 1 {
			t.Fatalf("%d Organizations stored, want 1", n)
		}
	})
	t.Run("a read-only token reads in a transaction but cannot write", func(t *testing.T) {
		read := `{"resourceType":"Bundle","type":"transaction","entry":[{"request":{"method":"GET","url":"Organization?identifier=urn:sys|A2"}}]}`
		if status, b := do("POST", "/fhir", reader, fhirJSON, read); status != 200 {
			t.Fatalf("read-only transaction: %d %s", status, b)
		}
		if status, b := do("POST", "/fhir", reader, fhirJSON, bundle("transaction", "A4")); status != 403 || !issueSays(t, b, "forbidden", "Bundle.entry[0]", "") {
			t.Fatalf("write with a read-only token: want 403 naming Bundle.entry[0], got %d %s", status, b)
		}
	})
	t.Run("a conditional reference is a search of its type", func(t *testing.T) {
		// A2 exists (above): the answer would tell a token that may not search Organizations
		// whether one has this identifier.
		tx := `{"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"HealthcareService",
			"providedBy":{"reference":"Organization?identifier=urn:sys|A2"}},"request":{"method":"POST","url":"HealthcareService"}}]}`
		serviceOnly := mint("system/HealthcareService.c")
		if status, b := do("POST", "/fhir", serviceOnly, fhirJSON, tx); status != 403 || !issueSays(t, b, "forbidden", "do not allow search on Organization", "Bundle.entry[0]") {
			t.Fatalf("without a search scope on Organization: want 403 naming Bundle.entry[0], got %d %s", status, b)
		}
		if status, b := do("POST", "/fhir", both, fhirJSON, tx); status != 200 {
			t.Fatalf("with it: want 200, got %d %s", status, b)
		}
	})
	t.Run("PATCH is decided as an update", func(t *testing.T) {
		if status, b := do("PUT", "/fhir/Organization/auth-p", orgWriter, fhirJSON, orgWithIdentifier("auth-p", "AP", "Patch me")); status != 201 {
			t.Fatalf("seed: %d %s", status, b)
		}
		patch := `[{"op":"replace","path":"/name","value":"Patched"}]`
		for _, tc := range []struct {
			name, token string
			status      int
		}{
			{"v2 read scope", reader, 403}, {"v2 create scope only", creator, 403},
			{"v2 update scope", orgWriter, 200}, {"v1 write scope", v1Writer, 200},
		} {
			if status, b := do("PATCH", "/fhir/Organization/auth-p", tc.token, "application/json-patch+json", patch); status != tc.status {
				t.Errorf("%s: want %d, got %d %s", tc.name, tc.status, status, b)
			}
		}
	})
}
