package resource

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"testing"
	"time"
)

var stampTime = time.Date(2024, 3, 5, 10, 11, 12, 345678901, time.FixedZone("CET", 3600))

func TestStamp(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{
			name: "sets id and meta first, keeps order and raw values",
			body: `{"name":"Bénédicte","resourceType":"Organization","id":"old","extension":[{"url":"u","valueDecimal":4.50}],"_name":{"extension":[{"url":"x","valueString":"y"}]},"zzUnknown":{"a":1.0e2},"contained":[{"resourceType":"Location","id":"l1"}],"active":true}`,
			want: `{"resourceType":"Organization","id":"new","meta":{"versionId":"2","lastUpdated":"2024-03-05T09:11:12.345Z"},"name":"Bénédicte","extension":[{"url":"u","valueDecimal":4.50}],"_name":{"extension":[{"url":"x","valueString":"y"}]},"zzUnknown":{"a":1.0e2},"contained":[{"resourceType":"Location","id":"l1"}],"active":true}`,
		},
		{
			name: "keeps other meta members, replaces versionId and lastUpdated",
			body: `{"resourceType":"Location","meta":{"profile":["p"],"versionId":"9","lastUpdated":"2000-01-01T00:00:00Z","tag":[{"code":"t"}],"source":"s"}}`,
			want: `{"resourceType":"Location","id":"new","meta":{"versionId":"2","lastUpdated":"2024-03-05T09:11:12.345Z","profile":["p"],"tag":[{"code":"t"}],"source":"s"}}`,
		},
		{
			name: "removes insignificant whitespace only",
			body: "{\n  \"resourceType\": \"Task\",\n  \"note\": [ { \"text\": \"a  b\\n\" } ],\n  \"_id\": {\"extension\": []}\n}",
			want: `{"resourceType":"Task","id":"new","meta":{"versionId":"2","lastUpdated":"2024-03-05T09:11:12.345Z"},"note":[{"text":"a  b\n"}],"_id":{"extension":[]}}`,
		},
		{
			name: "escaped keys and strings stay equivalent",
			body: `{"resourceType":"Organization","a\"b":"\u00e9\n"}`,
			want: `{"resourceType":"Organization","id":"new","meta":{"versionId":"2","lastUpdated":"2024-03-05T09:11:12.345Z"},"a\"b":"\u00e9\n"}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Stamp([]byte(tc.body), "new", "2", stampTime)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Fatalf("Stamp =\n%s\nwant\n%s", got, tc.want)
			}
			info, err := Parse(got)
			if err != nil || info.ID != "new" || info.VersionID != "2" || info.LastUpdated != "2024-03-05T09:11:12.345Z" {
				t.Fatalf("stamped body reparses as %+v, %v", info, err)
			}
		})
	}
}

func TestStampErrors(t *testing.T) {
	for name, tc := range map[string]struct{ body, id, expr, diag string }{
		"not json":     {`{`, "a", "", "not valid JSON"},
		"no type":      {`{"id":"a"}`, "a", "resourceType", "no resourceType"},
		"meta array":   {`{"resourceType":"Task","meta":[]}`, "a", "meta", "must be an object"},
		"bad id given": {`{"resourceType":"Task"}`, "a/b", "id", "not a valid FHIR id"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Stamp([]byte(tc.body), tc.id, "1", stampTime)
			assertInvalid(t, err, tc.expr, tc.diag)
		})
	}
}

// TestStampExamples: every example keeps all its members (compared structurally, numbers as
// written) apart from id and meta.versionId/lastUpdated.
func TestStampExamples(t *testing.T) {
	for _, f := range exampleFiles(t) {
		body, _ := os.ReadFile(f)
		if _, err := Parse(body); err != nil {
			continue // the broken samples
		}
		got, err := Stamp(body, "x", "1", stampTime)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		want, have := decodeNumbers(t, body), decodeNumbers(t, got)
		want["id"] = "x"
		meta, _ := want["meta"].(map[string]any)
		if meta == nil {
			meta = map[string]any{}
		}
		meta["versionId"], meta["lastUpdated"] = "1", "2024-03-05T09:11:12.345Z"
		want["meta"] = meta
		if !reflect.DeepEqual(want, have) {
			t.Errorf("%s: stamped body differs", f)
		}
	}
}

func decodeNumbers(t *testing.T, b []byte) map[string]any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func BenchmarkStamp(b *testing.B) {
	body, err := os.ReadFile("testdata/organization-typical.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Stamp(body, "abc", "3", stampTime); err != nil {
			b.Fatal(err)
		}
	}
}
