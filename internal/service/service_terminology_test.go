package service

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/profiles/terminology"
)

// fakeTerm knows http://vs (codes a, b, c of http://s) and http://filter (not enumerable).
type fakeTerm struct{}

func (fakeTerm) ValidateCode(_ context.Context, vs, system, code string) (terminology.Result, error) {
	if vs != "http://vs" {
		return terminology.Result{Message: "not loaded"}, nil
	}
	if strings.Contains("abc", code) && (system == "" || system == "http://s") {
		return terminology.Result{ValueSetKnown: true, Valid: true, Display: strings.ToUpper(code)}, nil
	}
	return terminology.Result{ValueSetKnown: true, Message: "code " + code + " is not in http://vs"}, nil
}

func (fakeTerm) Expand(_ context.Context, vs, filter string) ([]terminology.Concept, error) {
	switch vs {
	case "http://filter":
		return nil, terminology.ErrNotEnumerable
	case "http://vs":
	default:
		return nil, terminology.ErrUnknownValueSet
	}
	var out []terminology.Concept
	for _, c := range []string{"a", "b", "c"} {
		if filter == "" || filter == c {
			out = append(out, terminology.Concept{System: "http://s", Code: c, Display: strings.ToUpper(c)})
		}
	}
	return out, nil
}

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestValidateCode(t *testing.T) {
	ctx := context.Background()
	svc, _ := newTestService(t, Options{Terminology: fakeTerm{}})
	b, err := svc.ValidateCode(ctx, TerminologyRequest{Params: url.Values{"url": {"http://vs"}, "system": {"http://s"}, "code": {"a"}}})
	if err != nil || !strings.Contains(string(b), `{"name":"result","valueBoolean":true}`) || !strings.Contains(string(b), `"valueString":"A"`) {
		t.Fatalf("member: %s %v", b, err)
	}
	b, err = svc.ValidateCode(ctx, TerminologyRequest{Params: url.Values{"url": {"http://vs"}, "code": {"z"}}})
	if err != nil || !strings.Contains(string(b), `"valueBoolean":false`) || !strings.Contains(string(b), `"name":"message"`) {
		t.Fatalf("stranger: %s %v", b, err)
	}
	if _, err := svc.ValidateCode(ctx, TerminologyRequest{Params: url.Values{"url": {"http://other"}, "code": {"a"}}}); kindOf(t, err) != fherr.KindNotFound {
		t.Errorf("not loaded: %v", err)
	}
	if _, err := svc.ValidateCode(ctx, TerminologyRequest{Params: url.Values{"code": {"a"}}}); kindOf(t, err) != fherr.KindInvalid {
		t.Errorf("no url: %v", err)
	}
	if _, err := svc.ValidateCode(ctx, TerminologyRequest{Params: url.Values{"url": {"http://vs"}}}); kindOf(t, err) != fherr.KindInvalid {
		t.Errorf("no code: %v", err)
	}
	none, _ := newTestService(t, Options{})
	if _, err := none.ValidateCode(ctx, TerminologyRequest{Params: url.Values{"url": {"http://vs"}, "code": {"a"}}}); kindOf(t, err) != fherr.KindNotImplemented {
		t.Errorf("no terminology: %v", err)
	}
}

func TestExpand(t *testing.T) {
	ctx := context.Background()
	svc, _ := newTestService(t, Options{Terminology: fakeTerm{}})
	if _, err := svc.Update(ctx, "ValueSet", "vs1", []byte(`{"resourceType":"ValueSet","id":"vs1","url":"http://vs","name":"VS","status":"draft"}`), UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	b, err := svc.Expand(ctx, TerminologyRequest{Params: url.Values{"url": {"http://vs"}, "offset": {"1"}, "count": {"1"}}})
	if err != nil {
		t.Fatal(err)
	}
	vs := decode(t, b)
	exp := vs["expansion"].(map[string]any)
	contains := exp["contains"].([]any)
	if vs["name"] != "VS" || vs["status"] != "draft" || exp["total"] != float64(3) || len(contains) != 1 || contains[0].(map[string]any)["code"] != "b" {
		t.Fatalf("paged: %s", b)
	}
	b, err = svc.Expand(ctx, TerminologyRequest{ID: "vs1", Params: url.Values{"filter": {"c"}}})
	if vs := decode(t, b); err != nil || vs["id"] != "vs1" || vs["expansion"].(map[string]any)["total"] != float64(1) {
		t.Fatalf("instance, filter: %s %v", b, err)
	}
	if _, err := svc.Expand(ctx, TerminologyRequest{Params: url.Values{"url": {"http://filter"}}}); kindOf(t, err) != fherr.KindTooCostly {
		t.Errorf("not enumerable: %v", err)
	}
	if _, err := svc.Expand(ctx, TerminologyRequest{Params: url.Values{"url": {"http://none"}}}); kindOf(t, err) != fherr.KindNotFound {
		t.Errorf("unknown: %v", err)
	}
	if _, err := svc.Expand(ctx, TerminologyRequest{Params: url.Values{"url": {"http://vs"}, "count": {"-1"}}}); kindOf(t, err) != fherr.KindInvalid {
		t.Errorf("bad count: %v", err)
	}
	if _, err := svc.Expand(ctx, TerminologyRequest{ID: "nope"}); kindOf(t, err) != fherr.KindNotFound {
		t.Errorf("missing instance: %v", err)
	}
}
