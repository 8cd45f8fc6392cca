package integration

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/rorfhir/ror/internal/service"
)

// A batch through the server over a real store: each entry is answered on its own, as the same
// interaction sent alone would be; failures do not stop the other entries.
func TestBatchMixedEntries(t *testing.T) {
	e := newEnv(t, service.Options{})
	for _, id := range []string{"b-keep", "b-del"} {
		if res := e.do("PUT", "/fhir/Organization/"+id, orgWithIdentifier(id, id, "Batch "+id)); res.status != 201 {
			t.Fatalf("seed %s: %d %s", id, res.status, res.body)
		}
	}
	failingTest := base64.StdEncoding.EncodeToString([]byte(`[{"op":"test","path":"/name","value":"not the name"}]`))
	rename := base64.StdEncoding.EncodeToString([]byte(`[{"op":"replace","path":"/name","value":"Batch renamed"}]`))
	const urn = "urn:uuid:5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716"
	batch := `{"resourceType":"Bundle","type":"batch","entry":[
		{"fullUrl":"` + urn + `","resource":` + orgWithIdentifier("", "B-NEW", "Batch new") + `,"request":{"method":"POST","url":"Organization"}},
		{"resource":{"resourceType":"Organization","id":"b-bad","active":"yes"},"request":{"method":"PUT","url":"Organization/b-bad"}},
		{"request":{"method":"GET","url":"Organization/b-missing"}},
		{"request":{"method":"DELETE","url":"Organization/b-del"}},
		{"resource":{"resourceType":"Binary","contentType":"application/json-patch+json","data":"` + failingTest + `"},"request":{"method":"PATCH","url":"Organization/b-keep"}},
		{"request":{"method":"GET","url":"Organization?identifier=urn:sys|b-keep"}},
		{"resource":{"resourceType":"HealthcareService","providedBy":{"reference":"` + urn + `"}},"request":{"method":"POST","url":"HealthcareService"}},
		{"resource":` + orgWithIdentifier("b-keep", "b-keep", "x") + `,"request":{"method":"PUT","url":"Organization/b-keep","ifMatch":"W/\"9\""}},
		{"resource":{"resourceType":"Binary","contentType":"application/json-patch+json","data":"` + rename + `"},"request":{"method":"PATCH","url":"Organization/b-keep","ifMatch":"W/\"1\""}},
		{"request":{"method":"POST","url":"Organization"}}
	]}`
	res, b := e.postBundle(t, batch)
	if res.status != 200 || b.Type != "batch-response" || len(b.Entry) != 10 {
		t.Fatalf("answer %d %s", res.status, res.body)
	}
	want := []struct {
		status, code, text string
	}{
		{"201 Created", "", ""},
		{"400 Bad Request", "structure", "expected boolean"},
		{"404 Not Found", "not-found", "Organization/b-missing does not exist"},
		{"204 No Content", "", ""},
		{"422 Unprocessable Entity", "processing", "operation 0 (test /name) cannot be applied to Organization/b-keep"},
		{"200 OK", "", ""},
		{"400 Bad Request", "invalid", `the reference "` + urn + `" names Bundle.entry[0]: entries of a batch are independent`},
		{"412 Precondition Failed", "conflict", "version 9 was expected"},
		{"200 OK", "", ""},
		{"400 Bad Request", "required", "POST Organization needs the resource"},
	}
	for i, w := range want {
		en := b.Entry[i]
		if en.Response.Status != w.status {
			t.Errorf("entry %d: status %q, want %q (%+v)", i, en.Response.Status, w.status, en.Response.Outcome)
			continue
		}
		if w.code == "" {
			continue
		}
		if en.Response.Outcome == nil || len(en.Response.Outcome.Issue) == 0 {
			t.Errorf("entry %d: no outcome", i)
			continue
		}
		if is := en.Response.Outcome.Issue[0]; is.Code != w.code || !strings.Contains(is.Diagnostics, w.text) {
			t.Errorf("entry %d: outcome %+v, want %s %q", i, is, w.code, w.text)
		}
	}
	// what succeeded is stored, what failed is not
	if id := idOf(t, b.Entry[0].Response.Location); e.count(t, "Organization", "identifier=urn:sys|B-NEW&_id="+id) != 1 {
		t.Errorf("entry 0's Organization/%s is not stored", id)
	}
	if status, _ := e.readBack(t, "Organization", "b-bad"); status != 404 {
		t.Errorf("Organization/b-bad: %d, want 404", status)
	}
	if status, _ := e.readBack(t, "Organization", "b-del"); status != 410 {
		t.Errorf("Organization/b-del: %d, want 410", status)
	}
	if _, org := e.readBack(t, "Organization", "b-keep"); org["name"] != "Batch renamed" || org["meta"].(map[string]any)["versionId"] != "2" {
		t.Errorf("Organization/b-keep: %v (want only entry 8's patch applied)", org)
	}
	if n := e.count(t, "HealthcareService", "_count=0"); n != 0 {
		t.Errorf("entry 6 stored a HealthcareService")
	}
	// a read of the deleted one answers 410 with the tombstone's version, as a read sent alone
	_, gone := e.postBundle(t, `{"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"GET","url":"Organization/b-del"}}]}`)
	if r := gone.Entry[0].Response; r.Status != "410 Gone" || r.Etag != `W/"2"` || r.LastModified == "" {
		t.Errorf("read of the deleted Organization in a batch: %+v, want 410 with ETag W/\"2\" and lastModified", r)
	}
	if !strings.Contains(string(b.Entry[5].Resource), `"type":"searchset"`) || !strings.Contains(string(b.Entry[5].Resource), `"id":"b-keep"`) {
		t.Errorf("search entry: %s", b.Entry[5].Resource)
	}
}
