package service

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/store"
)

// fakeProfiles reports an error for bodies containing "bad", records its last options, and serves
// two StructureDefinitions.
type fakeProfiles struct{ last ValidateProfiles }

func (f *fakeProfiles) Validate(_ context.Context, typ string, body []byte, o ValidateProfiles) []fherr.Issue {
	f.last = o
	if strings.Contains(string(body), "bad") {
		return []fherr.Issue{{Severity: "error", Code: "required", Expression: []string{typ + ".name"}, Diagnostics: "name is bad"}}
	}
	return nil
}

func (f *fakeProfiles) SupportedProfiles(typ string) []string { return []string{"http://p/" + typ} }

func (f *fakeProfiles) StructureDefinitions() [][]byte {
	return [][]byte{
		[]byte(`{"resourceType":"StructureDefinition","id":"p-org","url":"http://p/Organization","name":"POrg","type":"Organization","kind":"resource"}`),
		[]byte(`{"resourceType":"StructureDefinition","id":"e-x","url":"http://p/ext","name":"Ext","type":"Extension","kind":"complex-type"}`),
	}
}

func TestValidateParams(t *testing.T) {
	body := []byte(`{"resourceType":"Parameters","parameter":[{"name":"resource","resource":{"resourceType":"Organization"}},{"name":"mode","valueCode":"update"},{"name":"profile","valueCanonical":"http://p/x"}]}`)
	res, mode, profs, err := validateParams(ValidateRequest{Type: "Organization", Body: body, Query: url.Values{"profile": {"http://p/q"}}})
	if err != nil || string(res) != `{"resourceType":"Organization"}` || mode != ModeUpdate || strings.Join(profs, " ") != "http://p/q http://p/x" {
		t.Fatalf("got %s %q %v %v", res, mode, profs, err)
	}
	if _, _, _, err := validateParams(ValidateRequest{Type: "Organization", Query: url.Values{"mode": {"bogus"}}}); err == nil {
		t.Error("bad mode accepted")
	}
	if _, _, _, err := validateParams(ValidateRequest{Type: "Organization", Body: []byte(`{"resourceType":"Parameters","parameter":[{"name":"resource"}]}`)}); err == nil {
		t.Error("resource parameter without resource accepted")
	}
}

func TestValidate(t *testing.T) {
	ctx := context.Background()
	fp := &fakeProfiles{}
	svc, _ := newTestService(t, Options{Profiles: fp, Checks: []Check{CheckFunc(func(ctx context.Context, typ string, cur *store.Version, body []byte) ([]fherr.Issue, error) {
		if body == nil {
			return []fherr.Issue{{Severity: "error", Code: "forbidden", Diagnostics: "no delete"}}, nil
		}
		return nil, nil
	})}})
	issues, err := svc.Validate(ctx, ValidateRequest{Type: "Organization", Body: []byte(`{"resourceType":"Organization","name":"bad"}`)})
	if err != nil || len(issues) != 1 || issues[0].Code != "required" || fp.last.ServerMeta {
		t.Fatalf("invalid resource: %+v %v (opts %+v)", issues, err, fp.last)
	}
	issues, err = svc.Validate(ctx, ValidateRequest{Type: "Organization", Body: []byte(`{"resourceType":"Organization","name":"ok"}`),
		Query: url.Values{"mode": {"create"}, "profile": {"http://p/Organization"}}})
	if err != nil || len(issues) != 0 || !fp.last.ServerMeta || fp.last.Profiles[0] != "http://p/Organization" {
		t.Fatalf("mode=create: %+v %v (opts %+v)", issues, err, fp.last)
	}
	issues, err = svc.Validate(ctx, ValidateRequest{Type: "Organization", Body: []byte(`{"resourceType":"Organization","active":"yes"}`)})
	if err != nil || len(issues) == 0 || issues[0].Code != "structure" {
		t.Fatalf("base R4 failure is an issue, not an error: %+v %v", issues, err)
	}
	issues, err = svc.Validate(ctx, ValidateRequest{Type: "Organization", Body: []byte(`{"resourceType":"Organization"}`), Query: url.Values{"mode": {"update"}}})
	if err != nil || len(issues) != 1 || issues[0].Expression[0] != "Organization.id" {
		t.Fatalf("mode=update without id: %+v %v", issues, err)
	}
	if _, err := svc.Create(ctx, "Organization", []byte(`{"resourceType":"Organization","name":"ok"}`), CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Validate(ctx, ValidateRequest{Type: "Organization", ID: "nope"}); kindOf(t, err) != fherr.KindNotFound {
		t.Errorf("missing instance: %v", err)
	}
	if _, err := svc.Validate(ctx, ValidateRequest{Type: "Organization", Query: url.Values{"mode": {"delete"}}}); kindOf(t, err) != fherr.KindInvalid {
		t.Errorf("type-level delete: %v", err)
	}
	if _, err := svc.Validate(ctx, ValidateRequest{Type: "Patient", Body: []byte(`{}`)}); kindOf(t, err) != fherr.KindNotFound {
		t.Errorf("unknown type: %v", err)
	}
}

func TestValidateInstance(t *testing.T) {
	ctx := context.Background()
	svc, _ := newTestService(t, Options{Profiles: &fakeProfiles{}, Checks: []Check{CheckFunc(func(ctx context.Context, typ string, cur *store.Version, body []byte) ([]fherr.Issue, error) {
		if body == nil {
			return []fherr.Issue{{Severity: "error", Code: "forbidden", Diagnostics: "no delete"}}, nil
		}
		return nil, nil
	})}})
	if _, err := svc.Update(ctx, "Organization", "o1", []byte(`{"resourceType":"Organization","id":"o1","name":"bad"}`), UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	issues, err := svc.Validate(ctx, ValidateRequest{Type: "Organization", ID: "o1"})
	if err != nil || len(issues) != 1 || issues[0].Code != "required" {
		t.Fatalf("stored version: %+v %v", issues, err)
	}
	issues, err = svc.Validate(ctx, ValidateRequest{Type: "Organization", ID: "o1", Query: url.Values{"mode": {"delete"}}})
	if err != nil || len(issues) != 1 || issues[0].Code != "forbidden" {
		t.Fatalf("mode=delete runs the write checks: %+v %v", issues, err)
	}
	issues, err = svc.Validate(ctx, ValidateRequest{Type: "Organization", ID: "o1", Query: url.Values{"mode": {"update"}},
		Body: []byte(`{"resourceType":"Organization","id":"o2"}`)})
	if err != nil || len(issues) != 1 || issues[0].Code != "invalid" {
		t.Fatalf("mode=update with another id: %+v %v", issues, err)
	}
	if _, err := svc.Validate(ctx, ValidateRequest{Type: "Organization", ID: "o1", Query: url.Values{"mode": {"create"}}}); kindOf(t, err) != fherr.KindInvalid {
		t.Errorf("instance mode=create: %v", err)
	}
}

func TestDedupIssues(t *testing.T) {
	a := fherr.Issue{Severity: "error", Code: "x", Diagnostics: "d", Expression: []string{"A"}}
	b := a
	b.Expression = []string{"B"}
	if got := dedupIssues([]fherr.Issue{a, b, a}); len(got) != 2 {
		t.Errorf("got %+v", got)
	}
}
