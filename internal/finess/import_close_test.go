package finess

import (
	"bytes"
	"testing"
)

func TestCloseBody(t *testing.T) {
	org := []byte(`{"resourceType":"Organization","id":"finess-ej-1","meta":{"versionId":"2","lastUpdated":"x","profile":["p"]},"extension":[{"url":"u","valueString":"v"}],"active":true}`)
	got, changed, err := closeBody(TypeOrganization, org, "2021-07-01")
	want := `{"resourceType":"Organization","id":"finess-ej-1","meta":{"profile":["p"]},"extension":[{"url":"` + extOrgPeriod + `","valuePeriod":{"end":"2021-07-01"}},{"url":"u","valueString":"v"}],"active":false}`
	if err != nil || !changed || string(got) != want {
		t.Errorf("closeBody = %s, %v, %v\nwant %s", got, changed, err, want)
	}
	if _, changed, _ := closeBody(TypeOrganization, got, "2021-08-01"); changed {
		t.Error("closing a closed organization changes it")
	}
	loc := []byte(`{"resourceType":"Location","id":"finess-loc-1","status":"active"}`)
	got, changed, err = closeBody(TypeLocation, loc, "2021-07-01")
	if err != nil || !changed || !bytes.Contains(got, []byte(`"status":"inactive"`)) {
		t.Errorf("location: %s %v %v", got, changed, err)
	}
	if _, _, err := closeBody("Patient", loc, "2021-07-01"); err == nil {
		t.Error("closing a Patient must fail")
	}
}

func TestProduced(t *testing.T) {
	ru := &run{sites: map[string]site{"010000024": {}}, ejs: map[string]bool{"010780054": true}, locs: map[string]bool{}}
	for _, c := range []struct {
		typ, id string
		want    bool
	}{
		{TypeOrganization, EGID("010000024"), true},
		{TypeOrganization, EJID("010780054"), true},
		{TypeOrganization, EGID("010000032"), false},
		{TypeLocation, LocationID("010000024"), false}, // no coordinates
		{TypeOrganization, "finess-other", false},
	} {
		if got := ru.produced(c.typ, c.id); got != c.want {
			t.Errorf("produced(%s, %s) = %v", c.typ, c.id, got)
		}
	}
}
