package resource

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/internal/shareddir"
)

// checkGoogle is CheckStructure as it was before the fast walk: every body through jsonformat.
func checkGoogle(typ string, body []byte) ([]fherr.Issue, error) {
	info, err := Parse(body)
	if err != nil {
		return nil, err
	}
	if info.Type != typ {
		return nil, fherr.Invalid("invalid", "resourceType", "resourceType is %q but %q was expected", info.Type, typ)
	}
	return checkStructureGoogle(body)
}

// corpusItem is one body of the differential corpus.
type corpusItem struct {
	name string
	typ  string // "" for bodies Parse rejects
	body []byte
	// valid: a real resource the fast walk must take (not sent to jsonformat) if jsonformat
	// accepts it without warnings.
	valid bool
}

// sharedCorpus gathers the JSON resources of the shared reference data: the ROR IG and the SAS and
// Annuaire Santé examples (Bundle entries added as resources of their own), and a sample of the
// FINESS NDJSON (perArchive lines of each archive).
func sharedCorpus(t testing.TB, perArchive int) []corpusItem {
	t.Helper()
	shared := shareddir.Require(t, "ror-ig")
	shareddir.Require(t, "finess")
	var items []corpusItem
	add := func(name string, body []byte) {
		typ := ""
		if info, err := Parse(body); err == nil {
			typ = info.Type
		}
		items = append(items, corpusItem{name: name, typ: typ, body: body, valid: typ != ""})
		if typ != "Bundle" {
			return
		}
		var b struct {
			Entry []struct {
				Resource json.RawMessage `json:"resource"`
			} `json:"entry"`
		}
		if err := json.Unmarshal(body, &b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for k, e := range b.Entry {
			if info, err := Parse(e.Resource); len(e.Resource) > 0 && err == nil {
				items = append(items, corpusItem{name: name + "#entry" + strconv.Itoa(k), typ: info.Type, body: e.Resource, valid: true})
			}
		}
	}
	var files []string
	err := filepath.WalkDir(shared, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(shared, p)
		if !d.IsDir() && strings.HasSuffix(p, ".json") && (strings.HasPrefix(rel, "ror-ig/examples") || strings.HasPrefix(rel, "examples")) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 30 {
		t.Fatalf("only %d JSON examples under %s", len(files), shared)
	}
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(shared, f)
		add(rel, body)
	}
	archives, _ := filepath.Glob(filepath.Join(shared, "finess", "fhir", "*.tar.gz"))
	if len(archives) == 0 {
		t.Fatalf("no NDJSON archives under %s", filepath.Join(shared, "finess", "fhir"))
	}
	for _, a := range archives {
		n := 0
		for line := range ndjsonLines(t, a) {
			add(filepath.Base(a)+":"+strconv.Itoa(n+1), line)
			if n++; n == perArchive {
				break
			}
		}
	}
	return items
}

// ndjsonLines yields the lines of the NDJSON files of a tar.gz archive.
func ndjsonLines(t testing.TB, archive string) func(func([]byte) bool) {
	return func(yield func([]byte) bool) {
		f, err := os.Open(archive)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		gz, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		tr := tar.NewReader(gz)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(h.Name, ".ndjson") {
				continue
			}
			sc := bufio.NewScanner(tr)
			sc.Buffer(nil, 1<<24)
			for sc.Scan() {
				if len(bytes.TrimSpace(sc.Bytes())) == 0 {
					continue
				}
				if !yield(bytes.Clone(sc.Bytes())) {
					return
				}
			}
			if err := sc.Err(); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// outcome is what the differential test compares: the decision, the severity and expression of
// every error, and the warnings.
type outcome struct {
	ok       bool
	errs     []string
	warnings []string
}

func outcomeOf(warns []fherr.Issue, err error) outcome {
	o := outcome{ok: err == nil}
	for _, w := range warns {
		o.warnings = append(o.warnings, w.Severity+" "+w.Code+" "+strings.Join(w.Expression, ",")+" "+w.Diagnostics)
	}
	if e, ok := fherr.As(err); ok {
		for _, is := range e.Issues {
			o.errs = append(o.errs, is.Severity+" "+strings.Join(is.Expression, ","))
		}
	} else if err != nil {
		o.errs = append(o.errs, "not a *fherr.Error: "+err.Error())
	}
	sort.Strings(o.errs)
	sort.Strings(o.warnings)
	return o
}

func (o outcome) String() string {
	b, _ := json.Marshal(o.errs)
	c, _ := json.Marshal(o.warnings)
	if o.ok {
		return "accepted, warnings " + string(c)
	}
	return "rejected " + string(b) + ", warnings " + string(c)
}

// compareOne runs both implementations and reports a difference; fast tells whether the walk
// decided alone.
func compareOne(t *testing.T, name, typ string, body []byte) (fast bool) {
	t.Helper()
	gw, gerr := checkGoogle(typ, body)
	nw, nerr := CheckStructure(typ, body)
	want, got := outcomeOf(gw, gerr), outcomeOf(nw, nerr)
	// jsonformat merges members in map order: with both "x" and "_x" holding a primitive value
	// its decision can change from one run to the next. A difference counts only if no run of
	// jsonformat gives the outcome CheckStructure gave.
	for k := 0; k < 30 && want.String() != got.String(); k++ {
		if w, err := checkGoogle(typ, body); outcomeOf(w, err).String() == got.String() {
			want = got
		}
	}
	if want.String() != got.String() {
		t.Errorf("%s: CheckStructure differs from jsonformat\n body: %.600s\n got:  %s\n want: %s", name, body, got, want)
	}
	if _, err := Parse(body); err == nil {
		_, fast = checkWalk(typ, body)
	}
	return fast
}

func TestCheckStructureSameAsGoogleOnSharedData(t *testing.T) {
	items := sharedCorpus(t, 400)
	fast := 0
	for _, it := range items {
		typ := it.typ
		if typ == "" {
			typ = "Organization"
		}
		if compareOne(t, it.name, typ, it.body) {
			fast++
		} else if it.valid {
			if w, err := checkGoogle(typ, it.body); err == nil && len(w) == 0 {
				t.Errorf("%s: a valid resource the fast walk does not take: %.300s", it.name, it.body)
			}
		}
	}
	t.Logf("%d bodies compared, %d decided by the fast walk alone", len(items), fast)
	if len(items) < 3000 {
		t.Errorf("only %d bodies in the corpus", len(items))
	}
}

// brokenBodies are crafted inputs, most of them invalid, each compared with jsonformat.
var brokenBodies = []struct{ typ, body string }{
	{"Organization", `{"resourceType":"Organization","active":"true"}`},
	{"Organization", `{"resourceType":"Organization","id":"x","id":"y"}`},
	{"Organization", `{"resourceType":"Organization","resourceType":"Organization"}`},
	{"Organization", `{"resourceType":"Location"}`},
	{"Organization", `{"resourceType":""}`},
	{"Organization", `{"resourceType":1}`},
	{"Organization", `{"id":"x"}`},
	{"Organization", `{"resourceType":"Organization"}`},
	{"Organization", `[{"resourceType":"Organization"}]`},
	{"Organization", `{"resourceType":"Organization"} {}`},
	{"Organization", `{"resourceType":"Organization",}`},
	{"Organization", ``},
	{"Organization", `{"resourceType":"Organization","id":1}`},
	{"Organization", `{"resourceType":"Organization","meta":[]}`},
	{"Organization", `{"resourceType":"Organization","meta":{"versionId":1}}`},
	{"Organization", `{"resourceType":"Organization","meta":{"profile":"http://x"}}`},
	{"Organization", `{"resourceType":"Organization","meta":{"profile":[1]}}`},
	{"Organization", `{"resourceType":"Organization","meta":{"tag":{"code":"x"}}}`},
	{"Organization", `{"resourceType":"Organization","meta":{"tag":["x"]}}`},
	{"Organization", `{"resourceType":"Organization","meta":{"tag":[{"code":1}]}}`},
	{"Organization", `{"resourceType":"Organization","meta":{"security":[{"system":"http://x","code":"a","display":"d","zz":1}],"zz":2}}`},
	{"Foo", `{"resourceType":"Foo"}`},
	{"Organization", `{"resourceType":"Organization","active":1}`},
	{"Organization", `{"resourceType":"Organization","active":null}`},
	{"Organization", `{"resourceType":"Organization","name":""}`},
	{"Organization", `{"resourceType":"Organization","name":"a\u0001b"}`},
	{"Organization", `{"resourceType":"Organization","name":"tab\tok\nnewline \"q\" \/ \\"}`},
	{"Organization", `{"resourceType":"Organization","name":"caf\u00e9 \ud83d\ude00"}`},
	{"Organization", `{"resourceType":"Organization","name":"x","name":"y"}`},
	{"Organization", `{"resourceType":"Organization","Name":"x"}`},
	{"Organization", `{"resourceType":"Organization","n\u0061me":"x"}`},
	{"Organization", `{"resourceType":"Organization","_name":{"extension":[{"url":"http://a","valueString":"b"}]}}`},
	{"Organization", `{"resourceType":"Organization","name":"n","_name":{"id":"i","extension":[{"url":"http://a","valueString":"b"}]}}`},
	{"Organization", `{"resourceType":"Organization","name":"n","_name":{"value":"v"}}`},
	{"Organization", `{"resourceType":"Organization","name":"n","_name":{"zz":"v"}}`},
	{"Organization", `{"resourceType":"Organization","name":"n","_name":"x"}`},
	{"Organization", `{"resourceType":"Organization","alias":["a","b"],"_alias":[{"id":"1"}]}`},
	{"Organization", `{"resourceType":"Organization","alias":["a","b"],"_alias":[{"id":"1"},{"id":"2"}]}`},
	{"Organization", `{"resourceType":"Organization","alias":["a",null],"_alias":[null,{"id":"2"}]}`},
	{"Organization", `{"resourceType":"Organization","alias":[null],"_alias":[null]}`},
	{"Organization", `{"resourceType":"Organization","alias":[]}`},
	{"Organization", `{"resourceType":"Organization","alias":[],"_alias":[{"id":"1"}]}`},
	{"Organization", `{"resourceType":"Organization","_alias":[{"id":"1"}],"alias":[]}`},
	{"Organization", `{"resourceType":"Organization","alias":["a"],"alias":[]}`},
	{"Organization", `{"resourceType":"Organization","alias":[],"alias":[1]}`},
	{"Organization", `{"resourceType":"Organization","alias":["a",null,"c"],"_alias":[null,{"zz":1e400,"id":1},null]}`},
	{"Organization", `{"resourceType":"Organization","alias":["a",null,"c"],"_alias":[{"zz":1},{"id":"x"},null]}`},
	{"Organization", `{"resourceType":"Organization","alias":[null,null],"_alias":[{"id":"1"},{"id":"2"}]}`},
	{"Organization", `{"resourceType":"Organization","alias":["a"],"_alias":[null]}`},
	{"Organization", `{"resourceType":"Organization","alias":["a",1],"_alias":[null,null]}`},
	{"Organization", `{"resourceType":"Organization","alias":["a","b"],"_alias":[null]}`},
	{"Organization", `{"resourceType":"Organization","address":[{"line":[null,"b"],"_line":[{"extension":[{"url":"http://x","valueString":"1"}]},null]}]}`},
	{"Organization", `{"resourceType":"Organization","address":[{"line":["a","b"],"_line":[{"extension":[{"url":"http://x","valueString":"1","qq":2}]},null]}]}`},
	{"Organization", `{"resourceType":"Organization","address":[{"line":["a","b"],"_line":[{"extension":[{"valueString":"1"}]},null]}]}`},
	{"Organization", `{"resourceType":"Organization","address":[{"_line":[{"id":"x"},null],"line":["a","b"]}]}`},
	{"Organization", `{"resourceType":"Organization","name":null,"_name":{"id":"x"}}`},
	{"Organization", `{"resourceType":"Organization","zz":null}`},
	{"Organization", `{"resourceType":"Organization","name":"null"}`},
	{"Organization", `{"resourceType":"Organization","meta":{}}`},
	{"Organization", `{"resourceType":"Organization","meta":{"lastUpdated":"2020-01-01T10:00:00"}}`},
	{"Organization", `{"resourceType":"Organization","meta":{"lastUpdated":"2020-01-01T10:00:00.123456789+14:00"}}`},
	{"Organization", `{"resourceType":"Organization","meta":{"lastUpdated":"2020-01-01T10:00:00+14:01"}}`},
	{"Organization", `{"resourceType":"Organization","meta":{"lastUpdated":"2020-02-30T10:00:00Z"}}`},
	{"Organization", `{"resourceType":"Organization","meta":{"lastUpdated":"2020-01-01T24:00:00Z"}}`},
	{"Organization", `{"resourceType":"Organization","meta":{"profile":["http://a b"]}}`},
	{"Organization", `{"resourceType":"Organization","meta":{"profile":["http://a:b/c"]}}`},
	{"Organization", `{"resourceType":"Organization","meta":{"profile":["http://localhost:8080/fhir"]}}`},
	{"Organization", `{"resourceType":"Organization","meta":{"profile":["http://user@host:80/c?q#f"]}}`},
	{"Organization", `{"resourceType":"Organization","meta":{"profile":[":x"]}}`},
	{"Organization", `{"resourceType":"Organization","meta":{"profile":["a:b/c%zz"]}}`},
	{"Organization", `{"resourceType":"Organization","meta":{"profile":["1a:b"]}}`},
	{"Organization", `{"resourceType":"Organization","meta":{"profile":["relative/path"]}}`},
	{"Organization", `{"resourceType":"Organization","meta":{"versionId":"a b"}}`},
	{"Organization", `{"resourceType":"Organization","language":"fr  FR"}`},
	{"Organization", `{"resourceType":"Organization","language":"fr-FR"}`},
	{"Organization", `{"resourceType":"Organization","_language":{"id":"x"}}`},
	{"Organization", `{"resourceType":"Organization","telecom":[{"system":"Phone"}]}`},
	{"Organization", `{"resourceType":"Organization","telecom":[{"system":"phone","use":"work","rank":0}]}`},
	{"Organization", `{"resourceType":"Organization","telecom":[{"system":"phone","rank":1.0}]}`},
	{"Organization", `{"resourceType":"Organization","telecom":[{"system":"phone","rank":2147483648}]}`},
	{"Organization", `{"resourceType":"Organization","telecom":[{"system":"phone","rank":"1"}]}`},
	{"Organization", `{"resourceType":"Organization","telecom":{"system":"phone"}}`},
	{"Organization", `{"resourceType":"Organization","partOf":{"reference":"Organization/1"}}`},
	{"Organization", `{"resourceType":"Organization","partOf":{"reference":"Location/1"}}`},
	{"Organization", `{"resourceType":"Organization","partOf":{"reference":"Organization/1/_history/2"}}`},
	{"Organization", `{"resourceType":"Organization","partOf":{"reference":"Organization/1/_history/a b"}}`},
	{"Organization", `{"resourceType":"Organization","partOf":{"reference":"Organization/"}}`},
	{"Organization", `{"resourceType":"Organization","partOf":{"reference":"Foo/1"}}`},
	{"Organization", `{"resourceType":"Organization","partOf":{"reference":"ProcessRequest/1"}}`},
	{"Organization", `{"resourceType":"Organization","partOf":{"reference":"#c1"}}`},
	{"Organization", `{"resourceType":"Organization","partOf":{"reference":"http://x/fhir/Location/1"}}`},
	{"Organization", `{"resourceType":"Organization","partOf":{"organizationId":"1"}}`},
	{"Organization", `{"resourceType":"Organization","partOf":{"reference":""}}`},
	{"Organization", `{"resourceType":"Organization","endpoint":[{"reference":"Endpoint/e"},{"reference":"Organization/o"}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"valueString":"x"}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueString":"x","valueBoolean":true}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueString":"x","_valueString":{"id":"e"}}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueString":"x","_valueBoolean":{"id":"e"}}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueFoo":"x"}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","value":"x"}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueDecimal":4.50}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueDecimal":"4.50"}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueDecimal":1e400}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueDecimal":1e5}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueDecimal":-1E-5}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueDecimal":-0.0}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueDecimal":123456789012345678901234567890.123456789012345678901234567890}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueDecimal":-1e-400}]}`},
	{"Organization", `{"resourceType":"Organization","zz":[1e400]}`},
	{"Organization", `{"resourceType":"Organization","zz":{"a":"\ud800"}}`},
	{"Organization", `{"resourceType":"Organization","zz":{"a":"\u00e9"}}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueInteger":-0}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueInteger":-2147483648}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valuePositiveInt":0}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueUnsignedInt":0}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueDate":"2020-02-29"}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueDate":"2021-02-29"}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueDate":"0000"}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueDate":"2020-00"}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueDateTime":"2020-01"}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueDateTime":"2020-01-01T10:00Z"}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueTime":"10:00"}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueTime":"10:00:00.5"}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueInstant":"2020-01-01"}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueBase64Binary":"aGVsbG8="}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueBase64Binary":"aGVsbG8"}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueBase64Binary":"aGVs bG8="}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueOid":"urn:oid:1.2.250"}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueOid":"urn:oid:3.2"}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueUuid":"urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e"}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueUuid":"urn:uuid:0F8FAD5B-d9cb-469f-a165-70867728950e"}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueId":"a_b"}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueCode":" x"}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueReference":{"reference":"Patient/1"}}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","valueMarkdown":"*x*"}]}`},
	{"Organization", `{"resourceType":"Organization","extension":[{"url":"http://a","extension":[{"url":"b","valueCodeableConcept":{"coding":[{"code":"x","zz":1}]}}]}]}`},
	{"Organization", `{"resourceType":"Organization","contained":[{"resourceType":"Location","id":"l","name":"n"}]}`},
	{"Organization", `{"resourceType":"Organization","contained":[{"resourceType":"Location","id":"l","status":"nope"}]}`},
	{"Organization", `{"resourceType":"Organization","contained":[{"resourceType":"Task","id":"t"}]}`},
	{"Organization", `{"resourceType":"Organization","contained":[{"id":"t"}]}`},
	{"Organization", `{"resourceType":"Organization","contained":[{"resourceType":1}]}`},
	{"Organization", `{"resourceType":"Organization","contained":[{"resourceType":"Location","managingOrganization":{"reference":"Patient/1"}}]}`},
	{"Organization", `{"resourceType":"Organization","contained":[{"resourceType":"Location","zz":{"a":1},"contained":[{"resourceType":"Location","yy":2}]}]}`},
	{"Organization", `{"resourceType":"Organization","contained":{"resourceType":"Location"}}`},
	{"Organization", `{"resourceType":"Organization","resourceType2":"x","contact":[{"purpose":{"text":"t","zz":[1]},"name":{"family":"f","given":["g"]}}]}`},
	{"Organization", `{"resourceType":"Organization","contact":[{"name":{"given":"g"}}]}`},
	{"Organization", `{"resourceType":"Organization","text":{"status":"generated"}}`},
	{"Organization", `{"resourceType":"Organization","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>"}}`},
	{"Organization", `{"resourceType":"Organization","identifier":[{"system":"urn:oid:1.2.250.1.71.4.2.2","value":"1","period":{"start":"2020","end":"2019-13"}}]}`},
	{"Organization", `{"resourceType":"Organization","_zz":{"id":"x"},"_active":{"id":"y"},"active":true}`},
	{"Location", `{"resourceType":"Location","position":{"longitude":2.35,"latitude":48.85}}`},
	{"Location", `{"resourceType":"Location","position":{"longitude":2.35}}`},
	{"Location", `{"resourceType":"Location","status":"active","mode":"instance","hoursOfOperation":[{"daysOfWeek":["mon","tue"],"openingTime":"08:00:00","closingTime":"18:00:00"}]}`},
	{"Location", `{"resourceType":"Location","hoursOfOperation":[{"daysOfWeek":["mon","xyz"]}]}`},
	{"HealthcareService", `{"resourceType":"HealthcareService","availableTime":[{"allDay":true,"availableStartTime":"25:00:00"}]}`},
	{"HealthcareService", `{"resourceType":"HealthcareService","providedBy":{"reference":"Organization/1","type":"Organization","display":"x"},"location":[{"reference":"Location/1"},{"reference":"HealthcareService/2"}]}`},
	{"HealthcareService", `{"resourceType":"HealthcareService","contained":[{"resourceType":"Foo"}]}`},
	{"PractitionerRole", `{"resourceType":"PractitionerRole","practitioner":{"reference":"Practitioner/1"},"organization":{"reference":"Patient/1"}}`},
	{"Task", `{"resourceType":"Task","status":"draft","intent":"order"}`},
	{"Task", `{"resourceType":"Task","status":"draft","_intent":{"id":"x"}}`},
	{"Task", `{"resourceType":"Task","status":"Draft","intent":"order"}`},
	{"Task", `{"resourceType":"Task","status":"entered-in-error","intent":"order","restriction":{"repetitions":0}}`},
	{"Task", `{"resourceType":"Task","status":"draft","intent":"order","input":[{"type":{"text":"t"}}]}`},
	{"Task", `{"resourceType":"Task","status":"draft","intent":"order","input":[{"type":{"text":"t"},"valueString":"x","valueCode":"y"}]}`},
	{"Practitioner", `{"resourceType":"Practitioner","birthDate":"1980-02-29","gender":"female"}`},
	{"Practitioner", `{"resourceType":"Practitioner","birthDate":"1981-02-29"}`},
	{"Practitioner", `{"resourceType":"Practitioner","gender":"F"}`},
	{"CodeSystem", `{"resourceType":"CodeSystem","status":"active","content":"complete","concept":[{"code":"a","display":"A"}]}`},
	{"CodeSystem", `{"resourceType":"CodeSystem","status":"active","concept":[{"display":"A"}]}`},
	{"ValueSet", `{"resourceType":"ValueSet","status":"active","compose":{"include":[{"system":"http://x","concept":[{"code":"a"}]}]}}`},
	{"Bundle", `{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e","resource":{"resourceType":"Organization","name":"x"}}]}`},
	{"Bundle", `{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Task"}}]}`},
	{"Bundle", `{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Organization","zz":1}}]}`},
}

func TestCheckStructureSameAsGoogleOnBrokenBodies(t *testing.T) {
	fast := 0
	for k, tc := range brokenBodies {
		if compareOne(t, "brokenBodies["+strconv.Itoa(k)+"]", tc.typ, []byte(tc.body)) {
			fast++
		}
	}
	t.Logf("%d crafted bodies compared, %d decided by the fast walk alone", len(brokenBodies), fast)
}

// mutations are values the mutation test puts in place of an element.
var mutations = []any{
	"", "x", "a b", " x", json.Number("1"), json.Number("4.50"), json.Number("-1"), json.Number("0"),
	json.Number("2147483648"), json.Number("1e3"), json.Number("1e400"), true, false, nil,
	map[string]any{}, []any{}, map[string]any{"zz": json.Number("1")}, []any{"x"}, []any{nil},
	[]any{map[string]any{}}, "2020-13-01", "2020-02-30", "2020-02-29", "2020", "2020-01-01T10:00:00",
	"2020-01-01T10:00:00Z", "2020-01-01T10:00:00.123+01:00", "2020-01-01T10:00:00+15:00", "10:00:00",
	"24:00:00", "urn:oid:1.2.250.1", "urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e", "http://a b",
	"http://x:y/", "Organization/1", "Patient/1", "Location/1/_history/2", "Location/1/_history/a b",
	"#x", "foo/bar", "\u0001", "Phone", "phone", "active", "aGVsbG8=", "aGVsbG8", "é",
	map[string]any{"reference": "Organization/1"}, map[string]any{"coding": []any{map[string]any{"code": "x"}}},
	map[string]any{"extension": []any{map[string]any{"url": "http://x", "valueString": "y"}}},
}

// node is a place in a decoded body: an object member or an array element.
type node struct {
	obj map[string]any
	key string
	arr []any
	idx int
}

func collectNodes(v any, out *[]node) {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if k != "resourceType" {
				*out = append(*out, node{obj: t, key: k})
			}
			collectNodes(t[k], out)
		}
	case []any:
		for i, e := range t {
			*out = append(*out, node{arr: t, idx: i})
			collectNodes(e, out)
		}
	}
}

// mutate changes body at one random place: a new value, a removed member, an unknown or
// renamed key, a "_x" extension, a second choice type, an array around a value.
func mutate(r *rand.Rand, body []byte) []byte {
	var tree any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&tree) != nil {
		return nil
	}
	var nodes []node
	collectNodes(tree, &nodes)
	if len(nodes) == 0 {
		return nil
	}
	n := nodes[r.Intn(len(nodes))]
	m := mutations[r.Intn(len(mutations))]
	switch op := r.Intn(8); {
	case n.arr != nil:
		n.arr[n.idx] = m
	case op == 0:
		delete(n.obj, n.key)
	case op == 1:
		n.obj[[]string{"zz", "_zz", "Zz", "valueFoo", "value", "_" + n.key}[r.Intn(6)]] = m
	case op == 2:
		v := n.obj[n.key]
		delete(n.obj, n.key)
		n.obj[strings.ToUpper(n.key[:1])+n.key[1:]] = v
	case op == 3:
		n.obj["_"+n.key] = mutations[len(mutations)-1]
	case op == 4:
		n.obj["valueBoolean"] = true
	case op == 5:
		n.obj[n.key] = []any{n.obj[n.key]}
	default:
		n.obj[n.key] = m
	}
	out, err := json.Marshal(tree)
	if err != nil {
		return nil
	}
	return out
}

func TestCheckStructureSameAsGoogleOnMutations(t *testing.T) {
	items := sharedCorpus(t, 20)
	body, err := os.ReadFile("testdata/organization-typical.json")
	if err != nil {
		t.Fatal(err)
	}
	items = append(items, corpusItem{name: "testdata", typ: "Organization", body: body})
	seed := int64(1)
	if n, err := strconv.ParseInt(os.Getenv("ROR_MUTATION_SEED"), 10, 64); err == nil {
		seed = n
	}
	r := rand.New(rand.NewSource(seed))
	rounds := 12 // ROR_MUTATION_ROUNDS and ROR_MUTATION_SEED to search further
	if n, err := strconv.Atoi(os.Getenv("ROR_MUTATION_ROUNDS")); err == nil {
		rounds = n
	}
	if testing.Short() {
		rounds = 3
	}
	n, fast := 0, 0
	for _, it := range items {
		if it.typ == "" {
			continue
		}
		for k := 0; k < rounds; k++ {
			b := mutate(r, it.body)
			if b == nil {
				continue
			}
			n++
			if compareOne(t, it.name+" mutated", it.typ, b) {
				fast++
			}
		}
	}
	t.Logf("%d mutated bodies compared, %d decided by the fast walk alone", n, fast)
}
