package service

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/store"
)

// patchFixture stores Organization/p1 (version 1) and returns the service.
func patchFixture(t *testing.T, opts Options) (*Service, *memStore) {
	t.Helper()
	svc, st := newTestService(t, opts)
	_, err := svc.Update(context.Background(), "Organization", "p1",
		[]byte(`{"resourceType":"Organization","id":"p1","name":"A","active":true,"alias":["x","y"],"extension":[{"url":"http://e","valueDecimal":4.50}]}`), UpdateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return svc, st
}

func TestPatchAppliesToTheCurrentVersion(t *testing.T) {
	svc, st := patchFixture(t, Options{})
	ctx := context.Background()
	res, err := svc.Patch(ctx, "Organization", "p1", []byte(`[
		{"op":"test","path":"/meta/versionId","value":"1"},
		{"op":"replace","path":"/name","value":"B"},
		{"op":"add","path":"/alias/-","value":"z"},
		{"op":"remove","path":"/active"}]`), UpdateOptions{IfMatch: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created || !res.Changed || res.Version.VersionID != 2 || res.Version.Method != http.MethodPatch {
		t.Fatalf("result %+v", res)
	}
	body := string(res.Version.Body)
	for _, want := range []string{`"name":"B"`, `"alias":["x","y","z"]`, `"valueDecimal":4.50`, `"versionId":"2"`} {
		if !strings.Contains(body, want) {
			t.Errorf("patched body lacks %s: %s", want, body)
		}
	}
	if strings.Contains(body, `"active"`) {
		t.Errorf("active not removed: %s", body)
	}
	if v, _ := st.Read(ctx, "Organization", "p1"); v.VersionID != 2 {
		t.Fatalf("stored version %d", v.VersionID)
	}
}

func TestPatchErrors(t *testing.T) {
	cases := []struct {
		name, id, patch string
		opts            UpdateOptions
		kind            fherr.Kind
		code            string
		msg             string // in the first issue's diagnostics
	}{
		{"not an array", "p1", `{"op":"remove","path":"/name"}`, UpdateOptions{}, fherr.KindInvalid, "invalid", "array of operations"},
		{"not JSON", "p1", `[{"op":`, UpdateOptions{}, fherr.KindInvalid, "invalid", "not a JSON Patch document"},
		{"empty body", "p1", ``, UpdateOptions{}, fherr.KindInvalid, "required", "no body"},
		{"operation not an object", "p1", `[{"op":"remove","path":"/alias"},3]`, UpdateOptions{}, fherr.KindInvalid, "invalid", "operation 1 is not a JSON object"},
		{"unknown op", "p1", `[{"op":"merge","path":"/name"}]`, UpdateOptions{}, fherr.KindInvalid, "invalid", `operation 0: op "merge" is not one of`},
		{"no op", "p1", `[{"path":"/name"}]`, UpdateOptions{}, fherr.KindInvalid, "invalid", `operation 0 has no "op"`},
		{"no path", "p1", `[{"op":"remove"}]`, UpdateOptions{}, fherr.KindInvalid, "invalid", `operation 0 has no "path"`},
		{"path not a pointer", "p1", `[{"op":"remove","path":"name"}]`, UpdateOptions{}, fherr.KindInvalid, "invalid", "not a JSON pointer"},
		{"bad escape", "p1", `[{"op":"remove","path":"/a~2b"}]`, UpdateOptions{}, fherr.KindInvalid, "invalid", "~0 or ~1"},
		{"no value", "p1", `[{"op":"test","path":"/name","value":"A"},{"op":"replace","path":"/name"}]`, UpdateOptions{}, fherr.KindInvalid, "invalid", `operation 1 (replace /name) has no "value"`},
		{"no from", "p1", `[{"op":"copy","path":"/alias/0"}]`, UpdateOptions{}, fherr.KindInvalid, "invalid", `operation 0 has no "from"`},
		{"failing test", "p1", `[{"op":"replace","path":"/name","value":"C"},{"op":"test","path":"/name","value":"A"}]`, UpdateOptions{}, fherr.KindUnprocessable, "processing", "operation 1 (test /name)"},
		{"missing path", "p1", `[{"op":"add","path":"/alias/-","value":"q"},{"op":"replace","path":"/alias/0","value":"q"},{"op":"replace","path":"/description","value":"q"}]`, UpdateOptions{}, fherr.KindUnprocessable, "not-found", "operation 2 (replace /description)"},
		{"index out of range", "p1", `[{"op":"add","path":"/alias/7","value":"q"}]`, UpdateOptions{}, fherr.KindUnprocessable, "not-found", "out of range"},
		{"changes id", "p1", `[{"op":"replace","path":"/id","value":"p2"}]`, UpdateOptions{}, fherr.KindInvalid, "invalid", "operation 0 (replace /id) may not change id"},
		{"changes resourceType", "p1", `[{"op":"replace","path":"/resourceType","value":"Location"}]`, UpdateOptions{}, fherr.KindInvalid, "invalid", "may not change resourceType"},
		{"touches versionId", "p1", `[{"op":"replace","path":"/meta/versionId","value":"7"}]`, UpdateOptions{}, fherr.KindInvalid, "invalid", "may not change meta.versionId"},
		{"removes meta", "p1", `[{"op":"remove","path":"/meta"}]`, UpdateOptions{}, fherr.KindInvalid, "invalid", `operation 0 (remove /meta) changes meta.versionId from "1" to ""`},
		{"moves id away", "p1", `[{"op":"move","from":"/id","path":"/alias/0"}]`, UpdateOptions{}, fherr.KindInvalid, "invalid", "may not change id"},
		{"result not valid", "p1", `[{"op":"replace","path":"/active","value":"yes"}]`, UpdateOptions{}, fherr.KindInvalid, "", ""},
		{"If-Match", "p1", `[{"op":"replace","path":"/name","value":"C"}]`, UpdateOptions{IfMatch: 3}, fherr.KindPrecondition, "conflict", "version 3 was expected"},
		{"unknown id", "nope", `[{"op":"replace","path":"/name","value":"C"}]`, UpdateOptions{}, fherr.KindNotFound, "not-found", "nothing to patch"},
		{"deleted", "gone", `[{"op":"replace","path":"/name","value":"C"}]`, UpdateOptions{}, fherr.KindGone, "deleted", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			svc, st := patchFixture(t, Options{})
			ctx := context.Background()
			if _, err := svc.Update(ctx, "Organization", "gone", []byte(`{"resourceType":"Organization","id":"gone"}`), UpdateOptions{}); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Delete(ctx, "Organization", "gone", UpdateOptions{}); err != nil {
				t.Fatal(err)
			}
			_, err := svc.Patch(ctx, "Organization", tc.id, []byte(tc.patch), tc.opts)
			fe, ok := fherr.As(err)
			if !ok {
				t.Fatalf("want an error, got %v", err)
			}
			if fe.Kind != tc.kind || tc.code != "" && fe.Issues[0].Code != tc.code || !strings.Contains(fe.Issues[0].Diagnostics, tc.msg) {
				t.Fatalf("got kind %v %+v, want kind %v code %q message with %q", fe.Kind, fe.Issues, tc.kind, tc.code, tc.msg)
			}
			if v, _ := st.Read(ctx, "Organization", "p1"); v.VersionID != 1 {
				t.Fatalf("a refused patch wrote version %d", v.VersionID)
			}
		})
	}
}

// A failing check (here: a business rule) refuses the patched result as it refuses an update.
func TestPatchRunsTheWriteChecks(t *testing.T) {
	rule := CheckFunc(func(_ context.Context, _ string, cur *store.Version, body []byte) ([]fherr.Issue, error) {
		if cur != nil && strings.Contains(string(body), `"name":"forbidden"`) {
			return []fherr.Issue{{Severity: "error", Code: "business-rule", Diagnostics: "no"}}, nil
		}
		return nil, nil
	})
	svc, _ := patchFixture(t, Options{Checks: []Check{rule}})
	_, err := svc.Patch(context.Background(), "Organization", "p1", []byte(`[{"op":"replace","path":"/name","value":"forbidden"}]`), UpdateOptions{})
	if fe, ok := fherr.As(err); !ok || fe.Kind != fherr.KindUnprocessable || fe.Issues[0].Code != "business-rule" {
		t.Fatalf("want 422 business-rule, got %v", err)
	}
}

// Losing a race without If-Match re-applies the patch to the new current version.
func TestPatchRetriesOnTheNewVersion(t *testing.T) {
	svc, st := patchFixture(t, Options{})
	ctx := context.Background()
	raced := false
	st.beforePut = func(w store.Write) {
		if !raced && w.Method == http.MethodPatch {
			raced = true
			_, _ = st.putLocked(store.Write{Type: "Organization", ID: "p1", VersionID: 2, LastUpdated: fixedNow,
				Body: []byte(`{"resourceType":"Organization","id":"p1","meta":{"versionId":"2"},"name":"other","alias":["k"]}`)})
		}
	}
	res, err := svc.Patch(ctx, "Organization", "p1", []byte(`[{"op":"add","path":"/alias/-","value":"z"}]`), UpdateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Version.VersionID != 3 || !strings.Contains(string(res.Version.Body), `"alias":["k","z"]`) {
		t.Fatalf("patch not re-applied to version 2: %s", res.Version.Body)
	}
}
