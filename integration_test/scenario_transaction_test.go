package integration

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/rorfhir/ror/internal/service"
	"github.com/rorfhir/ror/store"
)

// transaction wraps entries (JSON objects) in a transaction Bundle.
func transaction(entries ...string) string {
	return `{"resourceType":"Bundle","type":"transaction","entry":[` + strings.Join(entries, ",") + `]}`
}

// orgWithIdentifier is an Organization with one identifier of system urn:sys.
func orgWithIdentifier(id, value, name string) string {
	idPart := ""
	if id != "" {
		idPart = `"id":"` + id + `",`
	}
	return `{"resourceType":"Organization",` + idPart + `"name":"` + name + `","identifier":[{"system":"urn:sys","value":"` + value + `"}]}`
}

// Transactions through the server over a real store: the writes are prepared as single
// interactions are, then stored all together or not at all.
func TestTransactionScenarios(t *testing.T) {
	e := newEnv(t, service.Options{MaxBundleEntries: 20})
	if !e.svc.TransactionsSupported() {
		// e.g. MongoDB without a replica set (the embedded FerretDB of -tags mongodb): say so
		res, _ := e.postBundle(t, transaction(`{"resource":`+orgWithIdentifier("", "X", "x")+`,"request":{"method":"POST","url":"Organization"}}`))
		if res.status != 501 || !issueSays(t, res.body, "not-supported", "cannot apply several writes all or nothing", "") {
			t.Fatalf("a store without transactions: want 501 not-supported, got %d %s", res.status, res.body)
		}
		if n := e.count(t, "Organization", "identifier=urn:sys|X"); n != 0 {
			t.Fatalf("the refused transaction stored %d Organizations", n)
		}
		t.Skip("this store cannot apply a transaction all or nothing: the refusal is checked, the rest needs transactions")
	}
	for _, seed := range []struct{ id, value, name string }{
		{"existing", "EXIST", "Existing"}, {"dup1", "TWICE", "Dup 1"}, {"dup2", "TWICE", "Dup 2"},
		{"del", "DEL", "To delete"}, {"keep", "KEEP", "Keep"}, {"shape-del", "SHAPEDEL", "Deleted by the shape test"},
	} {
		if res := e.do("PUT", "/fhir/Organization/"+seed.id, orgWithIdentifier(seed.id, seed.value, seed.name)); res.status != 201 {
			t.Fatalf("seed %s: %d %s", seed.id, res.status, res.body)
		}
	}

	t.Run("urn:uuid references are rewritten", func(t *testing.T) {
		const orgURN = "urn:uuid:0b9a5a37-4d5a-4f41-9a3e-3c1f8b3d2a10"
		hs := `{"resourceType":"HealthcareService","name":"Consultation",
			"contained":[{"resourceType":"Location","id":"l1","managingOrganization":{"reference":"` + orgURN + `"}}],
			"extension":[{"url":"http://example.org/ref","valueReference":{"reference":"` + orgURN + `"}},{"url":"http://example.org/dec","valueDecimal":4.50}],
			"providedBy":{"reference":"` + orgURN + `","display":"kept"},"location":[{"reference":"#l1"}]}`
		res, b := e.postBundle(t, transaction(
			`{"fullUrl":"urn:uuid:2c1e7f1e-7b0a-4f7c-8d59-0f0e6c4a9b21","resource":`+hs+`,"request":{"method":"POST","url":"HealthcareService"}}`,
			`{"fullUrl":"`+orgURN+`","resource":`+orgWithIdentifier("", "TX1", "Created in a transaction")+`,"request":{"method":"POST","url":"Organization"}}`))
		if res.status != 200 || b.Type != "transaction-response" || len(b.Entry) != 2 {
			t.Fatalf("answer %d %s", res.status, res.body)
		}
		for i, en := range b.Entry {
			if en.Response.Status != "201 Created" || !strings.HasSuffix(en.Response.Location, "/_history/1") || en.Response.Etag != `W/"1"` {
				t.Errorf("entry %d response %+v", i, en.Response)
			}
		}
		orgID, hsID := idOf(t, b.Entry[1].Response.Location), idOf(t, b.Entry[0].Response.Location)
		status, org := e.readBack(t, "Organization", orgID)
		if status != 200 || org["name"] != "Created in a transaction" {
			t.Fatalf("Organization/%s read back: %d %v", orgID, status, org)
		}
		raw := e.do("GET", "/fhir/HealthcareService/"+hsID, "")
		if raw.status != 200 {
			t.Fatalf("HealthcareService/%s read back: %d %s", hsID, raw.status, raw.body)
		}
		ref := `{"reference":"Organization/` + orgID + `"`
		if n := strings.Count(string(raw.body), ref); n != 3 || strings.Contains(string(raw.body), "urn:uuid") {
			t.Errorf("want the 3 references (providedBy, contained, extension) rewritten to Organization/%s, got %d: %s", orgID, n, raw.body)
		}
		if !strings.Contains(string(raw.body), `"valueDecimal":4.50`) || !strings.Contains(string(raw.body), `"display":"kept"`) {
			t.Errorf("the rest of the resource was not kept as sent: %s", raw.body)
		}
	})

	t.Run("conditional create finds its match and its fullUrl resolves to it", func(t *testing.T) {
		const urn = "urn:uuid:6f1d0a3c-1b7e-4c5d-9e8f-7a6b5c4d3e2f"
		res, b := e.postBundle(t, transaction(
			`{"fullUrl":"`+urn+`","resource":`+orgWithIdentifier("", "EXIST", "Would be a duplicate")+`,"request":{"method":"POST","url":"Organization","ifNoneExist":"identifier=urn:sys|EXIST"}}`,
			`{"resource":{"resourceType":"HealthcareService","providedBy":{"reference":"`+urn+`"}},"request":{"method":"POST","url":"HealthcareService"}}`))
		if res.status != 200 || b.Entry[0].Response.Status != "200 OK" || idOf(t, b.Entry[0].Response.Location) != "existing" || b.Entry[1].Response.Status != "201 Created" {
			t.Fatalf("answer %d %s", res.status, res.body)
		}
		if n := e.count(t, "Organization", "identifier=urn:sys|EXIST"); n != 1 {
			t.Errorf("%d Organizations with identifier EXIST, want 1", n)
		}
		_, hs := e.readBack(t, "HealthcareService", idOf(t, b.Entry[1].Response.Location))
		if got := hs["providedBy"].(map[string]any)["reference"]; got != "Organization/existing" {
			t.Errorf("providedBy %v, want Organization/existing", got)
		}
		_, org := e.readBack(t, "Organization", "existing")
		if org["meta"].(map[string]any)["versionId"] != "1" {
			t.Errorf("the match was written: %v", org)
		}
	})

	t.Run("conditional references", func(t *testing.T) {
		hsRef := func(ref string) string {
			return `{"resource":{"resourceType":"HealthcareService","providedBy":{"reference":"` + ref + `"}},"request":{"method":"POST","url":"HealthcareService"}}`
		}
		res, b := e.postBundle(t, transaction(hsRef("Organization?identifier=urn:sys|EXIST")))
		if res.status != 200 {
			t.Fatalf("one match: %d %s", res.status, res.body)
		}
		_, hs := e.readBack(t, "HealthcareService", idOf(t, b.Entry[0].Response.Location))
		if got := hs["providedBy"].(map[string]any)["reference"]; got != "Organization/existing" {
			t.Errorf("providedBy %v, want Organization/existing", got)
		}
		before := e.count(t, "HealthcareService", "_count=0")
		res, _ = e.postBundle(t, transaction(hsRef("Organization?identifier=urn:sys|EXIST"), hsRef("Organization?identifier=urn:sys|NOPE")))
		if res.status != 400 || !issueSays(t, res.body, "not-found", `Bundle.entry[1] (POST HealthcareService): the conditional reference "Organization?identifier=urn:sys|NOPE" matches no Organization`, "Bundle.entry[1]") {
			t.Errorf("no match: want 400 naming Bundle.entry[1], got %d %s", res.status, res.body)
		}
		res, _ = e.postBundle(t, transaction(hsRef("Organization?identifier=urn:sys|TWICE")))
		if res.status != 412 || !issueSays(t, res.body, "multiple-matches", "Bundle.entry[0] (POST HealthcareService): the conditional reference \"Organization?identifier=urn:sys|TWICE\" matches more than one Organization", "") {
			t.Errorf("two matches: want 412 multiple-matches, got %d %s", res.status, res.body)
		}
		if after := e.count(t, "HealthcareService", "_count=0"); after != before {
			t.Errorf("failed transactions stored %d HealthcareServices", after-before)
		}
	})

	t.Run("one bad entry stores nothing", func(t *testing.T) {
		good := `{"resource":` + orgWithIdentifier("", "TXBAD", "Valid") + `,"request":{"method":"POST","url":"Organization"}}`
		update := `{"resource":` + orgWithIdentifier("keep", "KEEP", "Changed") + `,"request":{"method":"PUT","url":"Organization/keep"}}`
		bad := `{"resource":{"resourceType":"Organization","active":"yes"},"request":{"method":"POST","url":"Organization"}}`
		res, _ := e.postBundle(t, transaction(good, update, bad))
		if res.status != 400 || !issueSays(t, res.body, "", "Bundle.entry[2] (POST Organization): ", "Bundle.entry[2].resource.active") {
			t.Errorf("invalid resource: want 400 naming Bundle.entry[2].resource.active, got %d %s", res.status, res.body)
		}
		stale := `{"resource":` + orgWithIdentifier("keep", "KEEP", "Changed") + `,"request":{"method":"PUT","url":"Organization/keep","ifMatch":"W/\"7\""}}`
		res, _ = e.postBundle(t, transaction(good, stale))
		if res.status != 412 || !issueSays(t, res.body, "conflict", "Bundle.entry[1] (PUT Organization/keep): If-Match: version 7 was expected", "") {
			t.Errorf("stale ifMatch: want 412 naming Bundle.entry[1], got %d %s", res.status, res.body)
		}
		if n := e.count(t, "Organization", "identifier=urn:sys|TXBAD"); n != 0 {
			t.Errorf("a failed transaction stored its valid create (%d)", n)
		}
		if _, org := e.readBack(t, "Organization", "keep"); org["name"] != "Keep" || org["meta"].(map[string]any)["versionId"] != "1" {
			t.Errorf("a failed transaction stored its update: %v", org)
		}
	})

	t.Run("DELETE is processed before POST", func(t *testing.T) {
		// Listed first, the conditional create would find Organization/del; processed after the
		// DELETE (FHIR order), it finds nothing and creates the successor.
		res, b := e.postBundle(t, transaction(
			`{"resource":`+orgWithIdentifier("", "DEL", "Successor")+`,"request":{"method":"POST","url":"Organization","ifNoneExist":"identifier=urn:sys|DEL"}}`,
			`{"request":{"method":"DELETE","url":"Organization/del"}}`))
		if res.status != 200 || b.Entry[0].Response.Status != "201 Created" || b.Entry[1].Response.Status != "204 No Content" {
			t.Fatalf("answer %d %s", res.status, res.body)
		}
		successor := idOf(t, b.Entry[0].Response.Location)
		if status, _ := e.readBack(t, "Organization", "del"); status != 410 {
			t.Errorf("Organization/del: %d, want 410", status)
		}
		page, err := e.st.History(context.Background(), store.HistoryQuery{Type: "Organization", Count: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Versions) != 2 || page.Versions[0].ID != successor || page.Versions[1].ID != "del" || !page.Versions[1].Deleted {
			t.Errorf("history (newest first) %v: want the create of %s after the delete of del", versionsOf(page.Versions), successor)
		}
	})

	t.Run("response bundle shape", func(t *testing.T) {
		patch := base64.StdEncoding.EncodeToString([]byte(`[{"op":"replace","path":"/name","value":"Patched"}]`))
		res, b := e.postBundle(t, transaction(
			`{"request":{"method":"GET","url":"Organization/keep"}}`,
			`{"request":{"method":"HEAD","url":"Organization/keep"}}`,
			`{"request":{"method":"GET","url":"Organization?identifier=urn:sys|EXIST"}}`,
			`{"request":{"method":"GET","url":"Organization/keep/_history/1"}}`,
			`{"resource":{"resourceType":"Binary","contentType":"application/json-patch+json","data":"`+patch+`"},"request":{"method":"PATCH","url":"Organization/keep","ifMatch":"W/\"1\""}}`,
			`{"request":{"method":"DELETE","url":"`+e.base+`/Organization/shape-del"}}`,
			`{"resource":`+orgWithIdentifier("shape", "SHAPE", "Shape")+`,"request":{"method":"PUT","url":"Organization/shape"}}`))
		if res.status != 200 || b.ResourceType != "Bundle" || b.Type != "transaction-response" || len(b.Entry) != 7 {
			t.Fatalf("answer %d %s", res.status, res.body)
		}
		want := []string{"200 OK", "200 OK", "200 OK", "200 OK", "200 OK", "204 No Content", "201 Created"}
		for i, en := range b.Entry {
			if en.Response.Status != want[i] {
				t.Errorf("entry %d: status %q, want %q", i, en.Response.Status, want[i])
			}
		}
		read, head, search, vread, patched, deleted, put := b.Entry[0], b.Entry[1], b.Entry[2], b.Entry[3], b.Entry[4], b.Entry[5], b.Entry[6]
		if !strings.Contains(string(read.Resource), `"name":"Patched"`) || read.Response.Etag != `W/"2"` || read.FullURL != e.base+"/Organization/keep" {
			t.Errorf("the read sees the transaction's patch: %+v %s", read.Response, read.Resource)
		}
		if len(head.Resource) != 0 || head.Response.Etag != `W/"2"` {
			t.Errorf("HEAD entry: %+v %s", head.Response, head.Resource)
		}
		if !strings.Contains(string(search.Resource), `"type":"searchset"`) || !strings.Contains(string(search.Resource), `"id":"existing"`) {
			t.Errorf("search entry: %s", search.Resource)
		}
		if !strings.Contains(string(vread.Resource), `"name":"Keep"`) {
			t.Errorf("vread entry: %s", vread.Resource)
		}
		if patched.Response.Location != e.base+"/Organization/keep/_history/2" || patched.Response.LastModified == "" {
			t.Errorf("patch entry: %+v", patched.Response)
		}
		if deleted.Response.Etag != `W/"2"` || len(deleted.Resource) != 0 {
			t.Errorf("delete entry: %+v", deleted.Response)
		}
		if put.Response.Location != e.base+"/Organization/shape/_history/1" || put.Response.Etag != `W/"1"` || !strings.Contains(string(put.Resource), `"id":"shape"`) {
			t.Errorf("put entry: %+v %s", put.Response, put.Resource)
		}
		res, b = e.postBundle(t, transaction(`{"resource":`+orgWithIdentifier("shape", "SHAPE", "Shape 2")+`,"request":{"method":"PUT","url":"Organization/shape"}}`),
			"Prefer: return=minimal")
		if res.status != 200 || len(b.Entry[0].Resource) != 0 || b.Entry[0].Response.Etag != `W/"2"` {
			t.Errorf("Prefer: return=minimal: %s", res.body)
		}
	})

	t.Run("refused bundles and entries", func(t *testing.T) {
		post := `{"resource":` + orgWithIdentifier("", "REFUSED", "x") + `,"request":{"method":"POST","url":"Organization"}}`
		tooMany := make([]string, 21)
		for i := range tooMany {
			tooMany[i] = post
		}
		cases := []struct {
			name, body string
			status     int
			code, text string
			expr       string
		}{
			{"not a transaction or batch", `{"resourceType":"Bundle","type":"collection","entry":[` + post + `]}`, 400, "value", "Bundle.type must be batch or transaction", "Bundle.type"},
			{"not a Bundle", orgWithIdentifier("", "REFUSED", "x"), 400, "invalid", "expects a Bundle", "resourceType"},
			{"not JSON", `{"resourceType":"Bundle",`, 400, "structure", "not a JSON Bundle", ""},
			{"too many entries", transaction(tooMany...), 413, "too-long", "the Bundle has 21 entries; this server accepts at most 20", "Bundle.entry"},
			{"same resource twice", transaction(`{"request":{"method":"DELETE","url":"Organization/shape"}}`, `{"resource":`+orgWithIdentifier("shape", "SHAPE", "x")+`,"request":{"method":"PUT","url":"Organization/shape"}}`),
				400, "invalid", "Bundle.entry[1] (PUT Organization/shape): Organization/shape is also written by Bundle.entry[0]", "Bundle.entry[1].request.url"},
			{"no request", transaction(post, `{"resource":{"resourceType":"Organization"}}`), 400, "required", "Bundle.entry[1] has no request", "Bundle.entry[1].request"},
			{"FHIRPath Patch", transaction(post, `{"resource":{"resourceType":"Parameters","parameter":[]},"request":{"method":"PATCH","url":"Organization/keep"}}`),
				415, "not-supported", "FHIRPath Patch (a Parameters resource) is not supported", ""},
			{"conditional update", transaction(`{"resource":{"resourceType":"Organization"},"request":{"method":"PUT","url":"Organization?identifier=urn:sys|KEEP"}}`),
				405, "not-supported", "a conditional put (on a search) is not supported", ""},
			{"unknown type", transaction(`{"resource":{"resourceType":"Patient"},"request":{"method":"POST","url":"Patient"}}`), 404, "not-supported", `resource type "Patient" is not served`, "Bundle.entry[0].request.url"},
			{"urn naming no entry", transaction(`{"resource":{"resourceType":"HealthcareService","providedBy":{"reference":"urn:uuid:9d8c7b6a-0000-4000-8000-000000000000"}},"request":{"method":"POST","url":"HealthcareService"}}`),
				400, "not-found", "is the fullUrl of no entry this transaction creates or updates", ""},
			{"read of a missing resource", transaction(post, `{"request":{"method":"GET","url":"Organization/nope"}}`), 404, "not-found", "Bundle.entry[1] (GET Organization/nope)", ""},
			{"read of a resource it deletes", transaction(`{"request":{"method":"DELETE","url":"Organization/shape"}}`, `{"request":{"method":"GET","url":"Organization/shape"}}`),
				410, "deleted", "Organization/shape is deleted by Bundle.entry[0] of this transaction", ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res := e.do("POST", "/fhir", tc.body)
				if res.status != tc.status || !issueSays(t, res.body, tc.code, tc.text, tc.expr) {
					t.Errorf("want %d %s %q %s, got %d %s", tc.status, tc.code, tc.text, tc.expr, res.status, res.body)
				}
			})
		}
		if n := e.count(t, "Organization", "identifier=urn:sys|REFUSED"); n != 0 {
			t.Errorf("refused transactions stored %d Organizations", n)
		}
		if status, _ := e.readBack(t, "Organization", "shape"); status != 200 {
			t.Errorf("a refused transaction deleted Organization/shape: %d", status)
		}
	})
}

// versionsOf lists versions as Type/id/vid (deleted marked) for messages.
func versionsOf(vs []store.Version) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = fmt.Sprintf("%s/%s/%d deleted=%v", v.Type, v.ID, v.VersionID, v.Deleted)
	}
	return out
}
