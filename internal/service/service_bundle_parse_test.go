package service

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/internal/auth"
)

func TestParseEntryRequests(t *testing.T) {
	svc, _ := newTestService(t, Options{})
	const base = "https://ror.example.fr/fhir"
	org := `"resource":{"resourceType":"Organization","id":"o1"}`
	cases := []struct {
		entry       string
		interaction auth.Interaction
		typ, id     string
		kind        fherr.Kind // of the entry's error; 0 with msg "" for none
		msg         string
	}{
		{`{"request":{"method":"GET","url":"Organization/o1"}}`, auth.Read, "Organization", "o1", 0, ""},
		{`{"request":{"method":"HEAD","url":"/Organization/o1/_history/2"}}`, auth.VRead, "Organization", "o1", 0, ""},
		{`{"request":{"method":"GET","url":"` + base + `/Organization?name=x"}}`, auth.Search, "Organization", "", 0, ""},
		{`{"request":{"method":"GET","url":"Organization?identifier=https://finess.esante.gouv.fr|010000032"}}`, auth.Search, "Organization", "", 0, ""},
		{`{` + org + `,"request":{"method":"PUT","url":"Organization/o1","ifMatch":"W/\"2\""}}`, auth.Update, "Organization", "o1", 0, ""},
		{`{"request":{"method":"DELETE","url":"Organization/o1"}}`, auth.Delete, "Organization", "o1", 0, ""},
		{`{` + org + `,"request":{"method":"POST","url":"Organization","ifNoneExist":"identifier=a|b"}}`, auth.Create, "Organization", "", 0, ""},
		{`{"request":{"method":"GET","url":"https://elsewhere.example/fhir/Organization/o1"}}`, "", "", "", fherr.KindInvalid, "is not on this server"},
		{`{"request":{"method":"COPY","url":"Organization/o1"}}`, "", "Organization", "", fherr.KindInvalid, `request.method "COPY" is not one of`},
		{`{"request":{"method":"GET","url":"Organization/o1/_history"}}`, "", "Organization", "", fherr.KindNotAllowed, "is not supported in a batch or transaction"},
		{`{"request":{"method":"POST","url":"Organization/_search"}}`, "", "Organization", "", fherr.KindNotAllowed, "a POST other than a create"},
		{`{"request":{"method":"DELETE","url":"Organization?name=x"}}`, "", "Organization", "", fherr.KindNotAllowed, "a conditional delete"},
		{`{"request":{"method":"PUT","url":"Organization/o1"}}`, auth.Update, "Organization", "o1", fherr.KindInvalid, "needs the resource"},
		{`{` + org + `,"request":{"method":"PUT","url":"Organization/o1","ifNoneExist":"name=x"}}`, auth.Update, "Organization", "o1", fherr.KindInvalid, "ifNoneExist applies to a POST"},
		{`{"request":{"method":"GET","url":"Organization/o1","ifMatch":"W/\"1\""}}`, auth.Read, "Organization", "o1", fherr.KindInvalid, "ifMatch applies to PUT, PATCH and DELETE"},
		{`{` + org + `,"request":{"method":"PUT","url":"Organization/o1","ifMatch":"yes"}}`, auth.Update, "Organization", "o1", fherr.KindInvalid, `request.ifMatch "yes" is not a version tag`},
		{`{"request":{"method":"GET","url":"Organization/o1","ifNoneMatch":"W/\"1\""}}`, auth.Read, "Organization", "o1", fherr.KindInvalid, "conditional reads"},
		{`{"resource":{"resourceType":"Binary","contentType":"application/json-patch+json","data":"!!"},"request":{"method":"PATCH","url":"Organization/o1"}}`, auth.Patch, "Organization", "o1", fherr.KindInvalid, "data is not base64"},
		{`{"resource":{"resourceType":"Binary","contentType":"text/plain","data":""},"request":{"method":"PATCH","url":"Organization/o1"}}`, auth.Patch, "Organization", "o1", fherr.KindUnsupportedMedia, `Binary.contentType "text/plain" is not supported`},
		{`[1]`, "", "", "", fherr.KindInvalid, "Bundle.entry[0] is not a Bundle entry"},
	}
	for _, tc := range cases {
		e := svc.parseEntry(0, json.RawMessage(tc.entry), base)
		fe, _ := fherr.As(e.err)
		switch {
		case tc.msg == "" && e.err != nil:
			t.Errorf("%s: unexpected error %v", tc.entry, e.err)
		case tc.msg != "" && (fe == nil || fe.Kind != tc.kind || !strings.Contains(fe.Issues[0].Diagnostics, tc.msg)):
			t.Errorf("%s: error %v, want kind %v with %q", tc.entry, e.err, tc.kind, tc.msg)
		case tc.interaction != "" && (e.interaction != tc.interaction || e.typ != tc.typ || e.id != tc.id):
			t.Errorf("%s: %s %s/%s, want %s %s/%s", tc.entry, e.interaction, e.typ, e.id, tc.interaction, tc.typ, tc.id)
		}
	}
}
