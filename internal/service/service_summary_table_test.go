package service

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/rorfhir/ror/fhir/resource"
	"github.com/rorfhir/ror/fhir/search"
	"github.com/rorfhir/ror/store"
)

// _summary=true keeps the R4 summary elements of the resource's own type, the mandatory ones and
// modifierExtension, with their primitive extensions, and tags the result SUBSETTED.
func TestSummaryTruePerType(t *testing.T) {
	cases := []struct {
		typ, body string
		want      []string
	}{
		{"Location", `{"resourceType":"Location","id":"l","meta":{"versionId":"1"},"text":{"status":"generated"},
			"name":"Site","_name":{"extension":[]},"status":"active","telecom":[{"value":"1"}],"address":{"city":"Lyon"},
			"position":{"latitude":1,"longitude":2},"managingOrganization":{"reference":"Organization/o"},
			"modifierExtension":[{"url":"u","valueBoolean":true}],"extension":[{"url":"e"}]}`,
			[]string{"_name", "id", "managingOrganization", "meta", "modifierExtension", "name", "resourceType", "status"}},
		// telecom and address are summary elements of Practitioner, not of Organization
		{"Organization", `{"resourceType":"Organization","id":"o","name":"Org","telecom":[{"value":"1"}],"address":[{"city":"Lyon"}],"alias":["O"]}`,
			[]string{"id", "meta", "name", "resourceType"}},
		{"Practitioner", `{"resourceType":"Practitioner","id":"p","name":[{"family":"D"}],"telecom":[{"value":"1"}],"address":[{"city":"Lyon"}],"qualification":[{}]}`,
			[]string{"address", "id", "meta", "name", "resourceType", "telecom"}},
		{"Task", `{"resourceType":"Task","id":"t","status":"ready","intent":"order","for":{"reference":"Organization/o"},"input":[{}],"note":[{}]}`,
			[]string{"for", "id", "intent", "meta", "resourceType", "status"}},
	}
	for _, c := range cases {
		sr := search.Search{Query: store.Query{Type: c.typ}, Summary: search.SummaryTrue}
		out := shape(sr, []store.Version{{Type: c.typ, ID: "x", Body: []byte(c.body)}})
		var m map[string]json.RawMessage
		if err := json.Unmarshal(out[0].Body, &m); err != nil {
			t.Fatalf("%s: %v", c.typ, err)
		}
		var got []string
		for k := range m {
			got = append(got, k)
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: kept %v, want %v", c.typ, got, c.want)
		}
		if !strings.Contains(string(m["meta"]), `"SUBSETTED"`) {
			t.Errorf("%s: meta %s not tagged SUBSETTED", c.typ, m["meta"])
		}
	}
}

// Every type the server stores has its row in the table.
func TestSummaryTableCoversServedTypes(t *testing.T) {
	for _, typ := range resource.SupportedTypes() {
		if len(SummaryElements(typ)) == 0 {
			t.Errorf("no summary elements for %s", typ)
		}
	}
}
