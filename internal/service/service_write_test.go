package service

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/store"
)

const orgBody = `{"resourceType":"Organization","name":"Centre hospitalier","_name":{"extension":[{"url":"http://x","valueString":"y"}]}}`

func TestCreateStampsIDAndMeta(t *testing.T) {
	svc, _ := newTestService(t, Options{NewID: func() string { return "new1" }})
	res, err := svc.Create(context.Background(), "Organization", []byte(orgBody), CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || !res.Changed || res.Version.ID != "new1" || res.Version.VersionID != 1 {
		t.Fatalf("result: %+v", res)
	}
	var m map[string]any
	if err := json.Unmarshal(res.Version.Body, &m); err != nil {
		t.Fatal(err)
	}
	meta := m["meta"].(map[string]any)
	if m["id"] != "new1" || meta["versionId"] != "1" || meta["lastUpdated"] != "2026-01-02T03:04:05.678Z" {
		t.Fatalf("stamped body: %s", res.Version.Body)
	}
	if _, ok := m["_name"]; !ok {
		t.Fatalf("primitive extension lost: %s", res.Version.Body)
	}
}

func TestBodyRules(t *testing.T) {
	svc, _ := newTestService(t, Options{MaxBodyBytes: 200})
	ctx := context.Background()
	cases := []struct {
		name, typ, id, body string
		kind                fherr.Kind
		code                string
	}{
		{"too long", "Organization", "a", `{"resourceType":"Organization","id":"a","name":"` + strings.Repeat("x", 300) + `"}`, fherr.KindInvalid, "too-long"},
		{"empty", "Organization", "a", ``, fherr.KindInvalid, "required"},
		{"not json", "Organization", "a", `{"resourceType":`, fherr.KindInvalid, ""},
		{"type differs", "Organization", "a", `{"resourceType":"Location","id":"a"}`, fherr.KindInvalid, "invalid"},
		{"no id on put", "Organization", "a", `{"resourceType":"Organization"}`, fherr.KindInvalid, "required"},
		{"id differs", "Organization", "a", `{"resourceType":"Organization","id":"b"}`, fherr.KindInvalid, "invalid"},
		{"bad body id", "Organization", "a", `{"resourceType":"Organization","id":"a_b"}`, fherr.KindInvalid, "value"},
		{"bad url id", "Organization", "a_b", `{"resourceType":"Organization","id":"a_b"}`, fherr.KindInvalid, "value"},
		{"unknown type", "Patient", "a", `{"resourceType":"Patient","id":"a"}`, fherr.KindNotFound, "not-found"},
		{"bad structure", "Organization", "a", `{"resourceType":"Organization","id":"a","active":"yes"}`, fherr.KindInvalid, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := svc.Update(ctx, tc.typ, tc.id, []byte(tc.body), UpdateOptions{})
			if err == nil {
				t.Fatal("accepted")
			}
			fe, ok := fherr.As(err)
			if !ok || fe.Kind != tc.kind || (tc.code != "" && fe.Issues[0].Code != tc.code) {
				t.Fatalf("got %v (kind %v, issues %+v), want kind %v code %q", err, fe.Kind, fe.Issues, tc.kind, tc.code)
			}
		})
	}
}

func TestUpdateAsCreateThenIfMatch(t *testing.T) {
	svc, _ := newTestService(t, Options{})
	ctx := context.Background()
	body := []byte(`{"resourceType":"Organization","id":"o1","name":"a"}`)
	res, err := svc.Update(ctx, "Organization", "o1", body, UpdateOptions{})
	if err != nil || !res.Created || res.Version.VersionID != 1 {
		t.Fatalf("update as create: %+v %v", res, err)
	}
	res, err = svc.Update(ctx, "Organization", "o1", body, UpdateOptions{IfMatch: 1})
	if err != nil || res.Created || res.Version.VersionID != 2 {
		t.Fatalf("update: %+v %v", res, err)
	}
	_, err = svc.Update(ctx, "Organization", "o1", body, UpdateOptions{IfMatch: 1})
	if fe, _ := fherr.As(err); fe == nil || fe.Kind != fherr.KindPrecondition || fe.Issues[0].Code != "conflict" {
		t.Fatalf("stale If-Match: %v", err)
	}
	_, err = svc.Update(ctx, "Organization", "o2", []byte(`{"resourceType":"Organization","id":"o2"}`), UpdateOptions{IfMatch: 1})
	if kindOf(t, err) != fherr.KindPrecondition {
		t.Fatalf("If-Match on missing: %v", err)
	}
}

func TestUpdateRetriesLostRace(t *testing.T) {
	svc, st := newTestService(t, Options{UpdateRetries: 3})
	ctx := context.Background()
	body := []byte(`{"resourceType":"Organization","id":"o1"}`)
	if _, err := svc.Update(ctx, "Organization", "o1", body, UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	races := 2
	st.beforePut = func(w store.Write) {
		if races > 0 { // another writer slips in before ours
			races--
			st.mu.Lock()
			_, _ = st.putLocked(store.Write{Type: w.Type, ID: w.ID, VersionID: w.VersionID, Body: w.Body})
			st.mu.Unlock()
		}
	}
	res, err := svc.Update(ctx, "Organization", "o1", body, UpdateOptions{})
	if err != nil || res.Version.VersionID != 4 {
		t.Fatalf("retried update: %+v %v", res, err)
	}
	races = 10
	_, err = svc.Update(ctx, "Organization", "o1", body, UpdateOptions{})
	if kindOf(t, err) != fherr.KindConflict {
		t.Fatalf("exhausted retries: %v", err)
	}
	races = 1
	_, err = svc.Update(ctx, "Organization", "o1", body, UpdateOptions{IfMatch: 7})
	if kindOf(t, err) != fherr.KindPrecondition {
		t.Fatalf("lost race with If-Match: %v", err)
	}
}

func TestDeleteIsTombstoneAndIdempotent(t *testing.T) {
	svc, st := newTestService(t, Options{})
	ctx := context.Background()
	if _, err := svc.Update(ctx, "Organization", "o1", []byte(`{"resourceType":"Organization","id":"o1"}`), UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err := svc.Delete(ctx, "Organization", "o1", UpdateOptions{IfMatch: 1})
	if err != nil || !res.Changed || !res.Version.Deleted || res.Version.VersionID != 2 {
		t.Fatalf("delete: %+v %v", res, err)
	}
	res, err = svc.Delete(ctx, "Organization", "o1", UpdateOptions{})
	if err != nil || res.Changed || res.Version.VersionID != 2 {
		t.Fatalf("delete again: %+v %v", res, err)
	}
	res, err = svc.Delete(ctx, "Organization", "never", UpdateOptions{})
	if err != nil || res.Changed {
		t.Fatalf("delete missing: %+v %v", res, err)
	}
	if st.puts != 2 {
		t.Fatalf("puts = %d, want 2", st.puts)
	}
	_, err = svc.Read(ctx, "Organization", "o1")
	if kindOf(t, err) != fherr.KindGone {
		t.Fatalf("read deleted: %v", err)
	}
	if v, ok := Tombstone(err); !ok || v.VersionID != 2 {
		t.Fatalf("tombstone: %+v %v", v, ok)
	}
	res, err = svc.Update(ctx, "Organization", "o1", []byte(`{"resourceType":"Organization","id":"o1"}`), UpdateOptions{})
	if err != nil || !res.Created || res.Version.VersionID != 3 {
		t.Fatalf("resurrect: %+v %v", res, err)
	}
}

func TestChecksRejectWith422(t *testing.T) {
	var seen *store.Version
	check := CheckFunc(func(ctx context.Context, typ string, cur *store.Version, body []byte) ([]fherr.Issue, error) {
		seen = cur
		if strings.Contains(string(body), "forbidden") {
			return []fherr.Issue{{Severity: "error", Code: "business-rule", Diagnostics: "no"}}, nil
		}
		return []fherr.Issue{{Severity: "warning", Code: "informational", Diagnostics: "hmm"}}, nil
	})
	svc, _ := newTestService(t, Options{Checks: []Check{check}})
	ctx := context.Background()
	res, err := svc.Update(ctx, "Organization", "o1", []byte(`{"resourceType":"Organization","id":"o1"}`), UpdateOptions{})
	if err != nil || len(res.Warnings) != 1 || seen != nil {
		t.Fatalf("warning check: %+v %v", res, err)
	}
	_, err = svc.Update(ctx, "Organization", "o1", []byte(`{"resourceType":"Organization","id":"o1","name":"forbidden"}`), UpdateOptions{})
	if kindOf(t, err) != fherr.KindUnprocessable || seen == nil || seen.VersionID != 1 {
		t.Fatalf("error check: %v (current %+v)", err, seen)
	}
}

func TestUnknownElementsAreWarnings(t *testing.T) {
	svc, _ := newTestService(t, Options{})
	res, err := svc.Create(context.Background(), "Organization",
		[]byte(`{"resourceType":"Organization","regionalThing":{"a":1},"name":"x"}`), CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) == 0 || !strings.Contains(string(res.Version.Body), "regionalThing") {
		t.Fatalf("unknown element: warnings %+v body %s", res.Warnings, res.Version.Body)
	}
}
