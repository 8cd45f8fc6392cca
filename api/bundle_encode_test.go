package api

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/rorfhir/ror/store"
)

func TestBundleWriterKeepsResourceBytes(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC)
	raw := []byte(`{"resourceType":"Location","id":"l","position":{"longitude":4.50}}`)
	w := bundleWriter{base: "http://h/fhir"}
	w.start("history", at, 3, "self", `http://h/fhir/_history?a="b"`)
	w.version(store.Version{Type: "Location", ID: "l", VersionID: 1, LastUpdated: at, Body: raw})
	w.version(store.Version{Type: "Location", ID: "l", VersionID: 2, LastUpdated: at, Deleted: true})
	w.version(store.Version{Type: "Location", ID: "l", VersionID: 3, LastUpdated: at, Body: raw})
	out := w.bytes()
	if !bytes.Contains(out, raw) {
		t.Fatalf("resource bytes not embedded as stored: %s", out)
	}
	var b struct {
		Total int
		Link  []struct{ Relation, URL string }
		Entry []struct {
			FullURL  string
			Resource json.RawMessage
			Request  struct{ Method, URL string }
			Response struct{ Status, Etag, LastModified string }
		}
	}
	if err := json.Unmarshal(out, &b); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, out)
	}
	if b.Total != 3 || b.Link[0].URL != `http://h/fhir/_history?a="b"` || len(b.Entry) != 3 {
		t.Fatalf("bundle: %+v", b)
	}
	methods := []string{b.Entry[0].Request.Method, b.Entry[1].Request.Method, b.Entry[2].Request.Method}
	if methods[0] != "POST" || methods[1] != "DELETE" || methods[2] != "PUT" || b.Entry[1].Resource != nil {
		t.Fatalf("entries: %+v", b.Entry)
	}
	if b.Entry[0].Response.Etag != `W/"1"` || b.Entry[0].Response.LastModified != "2026-01-02T03:04:05.006Z" ||
		b.Entry[0].FullURL != "http://h/fhir/Location/l" {
		t.Fatalf("entry 0: %+v", b.Entry[0])
	}
}

func TestWriteJSONString(t *testing.T) {
	for _, s := range []string{"plain", `q"uote\back`, "ctl\x01\n", "é€😀", "bad\xffutf8"} {
		var b bytes.Buffer
		writeJSONString(&b, s)
		var got string
		if err := json.Unmarshal(b.Bytes(), &got); err != nil {
			t.Fatalf("%q -> %s: %v", s, b.Bytes(), err)
		}
		want, _ := json.Marshal(s)
		var w string
		_ = json.Unmarshal(want, &w)
		if got != w {
			t.Errorf("%q: got %q want %q", s, got, w)
		}
	}
}

func TestEmptyBundle(t *testing.T) {
	w := bundleWriter{}
	w.start("searchset", time.Now(), 0)
	var m map[string]any
	if err := json.Unmarshal(w.bytes(), &m); err != nil || m["total"] != float64(0) {
		t.Fatalf("%v %v", m, err)
	}
}
