package finess

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/rorfhir/ror/store"
)

func importedVersion(t *testing.T, k Key) (*store.Version, *fakeTarget) {
	t.Helper()
	tg := newFakeTarget()
	importFile(t, tg, "fixture.csv", Options{})
	b, ok := tg.bodies[k]
	if !ok {
		t.Fatalf("%v not imported", k)
	}
	// As stored: stamped by the server.
	b = bytes.Replace(b, []byte(`"meta":{`), []byte(`"meta":{"versionId":"1","lastUpdated":"2021-01-09T10:00:00.000Z",`), 1)
	return &store.Version{Type: k.Type, ID: k.ID, VersionID: 1, Body: b}, tg
}

func TestGuardRefusesFinessChanges(t *testing.T) {
	cur, _ := importedVersion(t, Key{TypeOrganization, EGID("010000024")})
	cases := []struct {
		name, old, new, expr string
	}{
		{"name", `"name":"CH DE FLEYRIAT"`, `"name":"CH FLEYRIAT"`, "Organization.name"},
		{"phone", `"value":"0474454647"`, `"value":"0474000000"`, "Organization.telecom.where(id='finess-phone')"},
		{"siret removed", `,{"type":{"coding":[{"system":"` + systemTypeID + `","code":"3"}]},"system":"https://sirene.fr","value":"26010004500012"}`, ``,
			"Organization.identifier.where(system='https://sirene.fr' and type.coding.code='3')"},
		{"category", `"code":"355"`, `"code":"101"`, "Organization.type.where(coding.system='" + systemCategory + "')"},
		{"closed by hand", `"active":true`, `"active":false`, "Organization.active"},
		{"region tag", `"code":"84"`, `"code":"11"`, "Organization.meta.tag.where(system='" + systemRegion + "')"},
		{"opening date", `"start":"1979-02-13"`, `"start":"1979-02-14"`, "Organization.extension.where(url='" + extOrgPeriod + "')"},
		{"postal code", `"postalCode":"01440"`, `"postalCode":"01000"`, "Organization.address"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !bytes.Contains(cur.Body, []byte(c.old)) {
				t.Fatalf("fixture lacks %s", c.old)
			}
			body := bytes.Replace(cur.Body, []byte(c.old), []byte(c.new), 1)
			issues, err := Guard{}.Check(context.Background(), TypeOrganization, cur, body)
			if err != nil {
				t.Fatal(err)
			}
			if len(issues) != 1 {
				t.Fatalf("issues %+v", issues)
			}
			is := issues[0]
			if is.Severity != "error" || is.Code != "business-rule" || len(is.Expression) != 1 || is.Expression[0] != c.expr ||
				!strings.Contains(is.Diagnostics, "must be corrected in FINESS") {
				t.Errorf("issue %+v", is)
			}
		})
	}
}

func TestGuardAcceptsRORChanges(t *testing.T) {
	cur, _ := importedVersion(t, Key{TypeOrganization, EGID("010000024")})
	edits := map[string][2]string{
		"contact added":       {`"partOf":`, `"contact":[{"name":{"text":"Accueil"}}],"partOf":`},
		"email added":         {`"telecom":[`, `"telecom":[{"system":"email","value":"a@b.fr"},`},
		"ROR extension":       {`"extension":[`, `"extension":[{"url":"` + igBase + `ror-organization-drop-zone","valueBoolean":true},`},
		"meta without server": {`"versionId":"1","lastUpdated":"2021-01-09T10:00:00.000Z",`, ``},
		"other tag":           {`"tag":[`, `"tag":[{"system":"urn:x","code":"y"},`},
		"reformatted":         {`"name":"CH DE FLEYRIAT"`, `"name" : "CH DE FLEYRIAT"`},
		"alias (ROR)":         {`"name":"CH DE FLEYRIAT"`, `"name":"CH DE FLEYRIAT","alias":["Fleyriat"]`},
	}
	for name, e := range edits {
		body := bytes.Replace(cur.Body, []byte(e[0]), []byte(e[1]), 1)
		if bytes.Equal(body, cur.Body) {
			t.Fatalf("%s: edit did not apply", name)
		}
		issues, err := Guard{}.Check(context.Background(), TypeOrganization, cur, body)
		if err != nil || len(issues) != 0 {
			t.Errorf("%s: refused: %+v %v", name, issues, err)
		}
	}
}

func TestGuardLocationAndOthers(t *testing.T) {
	cur, _ := importedVersion(t, Key{TypeLocation, LocationID("970100012")})
	ctx := context.Background()
	moved := bytes.Replace(cur.Body, []byte(`"latitude":`), []byte(`"latitude":1`), 1)
	if issues, _ := (Guard{}).Check(ctx, TypeLocation, cur, moved); len(issues) != 1 || issues[0].Expression[0] != "Location.position" {
		t.Errorf("position change: %+v", issues)
	}
	capacity := bytes.Replace(cur.Body, []byte(`"extension":[`), []byte(`"extension":[{"url":"`+igBase+`ror-location-supported-capacity","extension":[]},`), 1)
	if issues, _ := (Guard{}).Check(ctx, TypeLocation, cur, capacity); len(issues) != 0 {
		t.Errorf("capacity refused: %+v", issues)
	}
	// The import itself passes.
	if issues, _ := (Guard{}).Check(importing(ctx), TypeLocation, cur, moved); len(issues) != 0 {
		t.Errorf("import refused: %+v", issues)
	}
	// Deleting is refused; creating with a reserved id is refused; other resources are free.
	if issues, _ := (Guard{}).Check(ctx, TypeLocation, cur, nil); len(issues) != 1 {
		t.Errorf("delete: %+v", issues)
	}
	if issues, _ := (Guard{}).Check(ctx, TypeLocation, nil, []byte(`{"resourceType":"Location","id":"finess-loc-1"}`)); len(issues) != 1 || issues[0].Expression[0] != "Location.id" {
		t.Errorf("reserved id: %+v", issues)
	}
	other := &store.Version{Type: TypeLocation, ID: "abc", Body: cur.Body}
	if issues, _ := (Guard{}).Check(ctx, TypeLocation, other, moved); len(issues) != 0 {
		t.Errorf("non-FINESS resource: %+v", issues)
	}
	if issues, _ := (Guard{}).Check(ctx, "HealthcareService", nil, []byte(`{"id":"finess-x"}`)); len(issues) != 0 {
		t.Errorf("other type: %+v", issues)
	}
}
