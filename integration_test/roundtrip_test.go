package integration

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rorfhir/ror/internal/service"
)

// content decodes a resource keeping numbers as written, without what the server sets (id,
// meta.versionId, meta.lastUpdated).
func content(t *testing.T, b []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("not a JSON object: %v\n%s", err, b)
	}
	delete(m, "id")
	if meta, ok := m["meta"].(map[string]any); ok {
		delete(meta, "versionId")
		delete(meta, "lastUpdated")
		if len(meta) == 0 {
			delete(m, "meta")
		}
	}
	return m
}

// roundTrip PUTs body as typ/id and checks that the answer and a later read carry the same
// content as sent, with the server's id and meta.
func roundTrip(t *testing.T, e *env, typ, id string, body []byte) {
	t.Helper()
	res := e.do("PUT", "/fhir/"+typ+"/"+id, string(body))
	if res.status != 201 {
		t.Fatalf("PUT %s/%s: %d\n%s", typ, id, res.status, res.body)
	}
	sent := content(t, body)
	for _, got := range [][]byte{res.body, e.do("GET", "/fhir/"+typ+"/"+id, "").body} {
		if back := content(t, got); !reflect.DeepEqual(sent, back) {
			sj, _ := json.Marshal(sent)
			bj, _ := json.Marshal(back)
			t.Fatalf("%s/%s does not come back as sent:\nsent %s\ngot  %s", typ, id, sj, bj)
		}
		m := e.do("GET", "/fhir/"+typ+"/"+id, "").json(t)
		if m["id"] != id || m["meta"].(map[string]any)["versionId"] != "1" {
			t.Fatalf("server fields: id %v meta %v", m["id"], m["meta"])
		}
	}
}

func TestRoundTripIGExamples(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "ror-ig", "examples")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no IG examples in %s (%v)", dir, err)
	}
	e := newEnv(t, service.Options{})
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			body, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var head struct{ ResourceType, ID string }
			if err := json.Unmarshal(body, &head); err != nil {
				t.Fatal(err)
			}
			roundTrip(t, e, head.ResourceType, head.ID, body)
		})
	}
}

func TestRoundTripNationalExamples(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "examples")
	var files []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") {
			files = append(files, p)
		}
		return nil
	})
	e := newEnv(t, service.Options{})
	n := 0
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var head struct{ ResourceType, ID string }
		if json.Unmarshal(body, &head) != nil || !e.svc.SupportsType(head.ResourceType) || head.ID == "" {
			continue
		}
		n++
		t.Run(filepath.Base(f), func(t *testing.T) { roundTrip(t, e, head.ResourceType, head.ID, body) })
	}
	if n == 0 {
		t.Fatalf("no example of a served type under %s", dir)
	}
}

// tricky carries what typed FHIR models lose: primitive extensions, contained resources, unknown
// and regional elements, decimals with trailing zeros, unicode.
const tricky = `{
  "resourceType": "Location",
  "id": "tricky",
  "meta": {"profile": ["https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/ror-location"],
           "tag": [{"system": "https://mos.esante.gouv.fr/NOS/TRE_R30-RegionOM/FHIR/TRE-R30-RegionOM", "code": "11"}]},
  "contained": [{"resourceType": "Organization", "id": "o1", "name": "Contained EJ"}],
  "extension": [{"url": "https://region.example.fr/StructureDefinition/regional-thing",
                 "valueDecimal": 12.500}],
  "name": "Hôpital Saint-Éloi",
  "_name": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/translation",
                           "extension": [{"url": "lang", "valueCode": "en"}, {"url": "content", "valueString": "St Eloi"}]}]},
  "managingOrganization": {"reference": "#o1"},
  "position": {"longitude": 4.50, "latitude": 43.6100, "altitude": 0.0},
  "regionalUnknownElement": {"deep": [1.10, "x", {"y": null}]}
}`

func TestRoundTripTrickyResource(t *testing.T) {
	e := newEnv(t, service.Options{})
	roundTrip(t, e, "Location", "tricky", []byte(tricky))
	got := e.do("GET", "/fhir/Location/tricky", "").body
	for _, lit := range []string{`4.50`, `43.6100`, `0.0`, `12.500`, `1.10`, `Hôpital Saint-Éloi`, `"_name"`, `"contained"`, `regionalUnknownElement`} {
		if !bytes.Contains(got, []byte(lit)) {
			t.Errorf("%s lost: %s", lit, got)
		}
	}
	// also as a history entry: bundles embed the stored bytes
	hist := e.do("GET", "/fhir/Location/tricky/_history", "").body
	if !bytes.Contains(hist, []byte(`4.50`)) || !bytes.Contains(hist, []byte(`43.6100`)) {
		t.Errorf("history entry re-encoded the resource: %s", hist)
	}
}
