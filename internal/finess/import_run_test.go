package finess

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

func importFile(t *testing.T, tg *fakeTarget, name string, o Options) (Summary, []Problem) {
	t.Helper()
	var probs []Problem
	o.Report = func(p Problem) { probs = append(probs, p) }
	sum, err := NewImporter(tg, o).Run(context.Background(), openFixture(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return sum, probs
}

func importString(t *testing.T, tg *fakeTarget, data string) Summary {
	t.Helper()
	sum, err := NewImporter(tg, Options{BatchSize: 3}).Run(context.Background(), strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// The fixture gives the expected resources (golden files) and reports every bad line.
func TestImportFixtureGolden(t *testing.T) {
	tg := newFakeTarget()
	sum, probs := importFile(t, tg, "fixture.csv", Options{BatchSize: 4})
	want := Summary{Created: 11 + 12 + 9, Rejected: 8, EJ: 11, EG: 12, Locations: 9, Lines: 32, Date: "2021-01-08"}
	if sum != want {
		t.Errorf("summary %+v\nwant    %+v", sum, want)
	}
	var lines []int
	for _, p := range probs {
		lines = append(lines, p.Line)
	}
	// Bad lines in file order, then geolocation lines of unknown sites, then the warning that the
	// truncated file closes nothing.
	if got := fmtInts(lines); got != "[12,13,14,15,23,31,32,30,0]" {
		t.Errorf("problem lines %s", got)
		for _, p := range probs {
			t.Log(p)
		}
	}
	if !tg.sawImportMark {
		t.Error("an Upsert was not marked as the import's")
	}
	dir := filepath.Join("testdata", "golden")
	if *update {
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	keys := make([]Key, 0, len(tg.bodies))
	for k := range tg.bodies {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].Type+keys[i].ID < keys[j].Type+keys[j].ID })
	for _, k := range keys {
		var ind bytes.Buffer
		if err := json.Indent(&ind, tg.bodies[k], "", "  "); err != nil {
			t.Fatalf("%v: %v", k, err)
		}
		ind.WriteByte('\n')
		path := filepath.Join(dir, k.Type+"-"+k.ID+".json")
		if *update {
			if err := os.WriteFile(path, ind.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		golden, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%v: %v (run go test -update)", k, err)
			continue
		}
		if !bytes.Equal(golden, ind.Bytes()) {
			t.Errorf("%s differs from the golden file (run go test -update and review the diff):\n%s", path, ind.String())
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != len(keys) {
		t.Errorf("%d golden files for %d resources", len(files), len(keys))
	}
}

func fmtInts(v []int) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// The Latin-1 file gives the same bytes as the UTF-8 one.
func TestImportLatin1SameResources(t *testing.T) {
	a, b := newFakeTarget(), newFakeTarget()
	importFile(t, a, "fixture.csv", Options{})
	sum, _ := importFile(t, b, "fixture-latin1.csv", Options{})
	if !sum.Latin1 {
		t.Error("Latin-1 not reported")
	}
	if len(a.bodies) != len(b.bodies) {
		t.Fatalf("%d vs %d resources", len(a.bodies), len(b.bodies))
	}
	for k, v := range a.bodies {
		if !bytes.Equal(v, b.bodies[k]) {
			t.Errorf("%v differs", k)
		}
	}
}

// Re-importing the same file writes nothing new.
func TestReimportIsIdempotent(t *testing.T) {
	tg := newFakeTarget()
	importFile(t, tg, "fixture.csv", Options{})
	before := map[Key][]byte{}
	for k, v := range tg.bodies {
		before[k] = v
	}
	sum, _ := importFile(t, tg, "fixture.csv", Options{})
	if sum.Created != 0 || sum.Updated != 0 || sum.Closed != 0 || sum.Unchanged != 32 {
		t.Errorf("re-import summary %+v", sum)
	}
	for k, v := range tg.versions {
		if v != 1 || !bytes.Equal(before[k], tg.bodies[k]) {
			t.Errorf("%v changed (version %d)", k, v)
		}
	}
}

const (
	hdr   = "finess;etalab;93;2021-01-08\n"
	hdr2  = "finess;etalab;93;2021-07-01\n"
	siteA = "structureet;010000024;010780054;CH DE FLEYRIAT;;;;900;RTE;DE PARIS;;;451;01;AIN;01440 VIRIAT;0474454647;;355;Centre Hospitalier (C.H.);1102;Centres Hospitaliers;26010004500012;8610Z;;;1;Etablissement public de santé;1979-02-13;;2020-02-04;\n"
	siteB = "structureet;010000032;010780062;CH HAUT BUGEY;;;;700;AV;DE NARVIK;;BP 139;034;01;AIN;01300 BELLEY;0479425959;;355;Centre Hospitalier (C.H.);1102;Centres Hospitaliers;26010003700019;8610Z;;;1;Etablissement public de santé;1901-01-01;;2020-11-24;\n"
	geoA  = "geolocalisation;010000024;870215.7;6571590.5;1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93;2021-01-04\n"
	geoB  = "geolocalisation;010000032;908351.7;6520414.1;1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93;2021-01-04\n"
)

// A newer file updates what changed, creates what is new, and closes what disappeared.
func TestReimportUpdatesAndCloses(t *testing.T) {
	tg := newFakeTarget()
	if s := importString(t, tg, hdr+siteA+siteB+geoA+geoB); s.Created != 6 {
		t.Fatalf("first import %+v", s)
	}
	// Site A gets a new phone number; site B disappears; a site C appears under A's EJ.
	siteA2 := strings.Replace(siteA, "0474454647", "0474454600", 1)
	siteC := strings.Replace(strings.Replace(siteA, "010000024", "010000099", 1), "CH DE FLEYRIAT", "ANNEXE", 1)
	tg.reject = nil
	o := Options{BatchSize: 3, MaxClosed: -1}
	sum, err := NewImporter(tg, o).Run(context.Background(), strings.NewReader(hdr2+siteA2+siteC+geoA))
	if err != nil {
		t.Fatal(err)
	}
	// created: EG C; updated: EG A; unchanged: EJ A, Location A; closed: EJ B, EG B, Location B.
	want := Summary{Created: 1, Updated: 1, Unchanged: 2, Closed: 3, EJ: 1, EG: 2, Locations: 1, Lines: 4, Date: "2021-07-01"}
	if sum != want {
		t.Errorf("summary %+v\nwant    %+v", sum, want)
	}
	egA := tg.bodies[Key{TypeOrganization, EGID("010000024")}]
	if !bytes.Contains(egA, []byte(`"value":"0474454600"`)) || !bytes.Contains(egA, []byte(`"valueDateTime":"2021-01-08"`)) {
		t.Errorf("EG A not updated, or its creation date moved: %s", egA)
	}
	egB := tg.bodies[Key{TypeOrganization, EGID("010000032")}]
	if !bytes.Contains(egB, []byte(`"active":false`)) || !bytes.Contains(egB, []byte(`"valuePeriod":{"start":"1901-01-01","end":"2021-07-01"}`)) {
		t.Errorf("EG B not closed: %s", egB)
	}
	ejB := tg.bodies[Key{TypeOrganization, EJID("010780062")}]
	if !bytes.Contains(ejB, []byte(`"active":false`)) || !bytes.Contains(ejB, []byte(`"valuePeriod":{"end":"2021-07-01"}`)) {
		t.Errorf("EJ B not closed: %s", ejB)
	}
	if locB := tg.bodies[Key{TypeLocation, LocationID("010000032")}]; !bytes.Contains(locB, []byte(`"status":"inactive"`)) {
		t.Errorf("Location B not closed: %s", locB)
	}
	if len(tg.bodies) != 7 {
		t.Errorf("%d resources, want 7 (nothing deleted)", len(tg.bodies))
	}
	// Importing the newer file again changes nothing, closed ones stay closed once.
	sum, err = NewImporter(tg, o).Run(context.Background(), strings.NewReader(hdr2+siteA2+siteC+geoA))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Created+sum.Updated+sum.Closed != 0 {
		t.Errorf("second run %+v", sum)
	}
	// B comes back: reopened, without the end date.
	sum, err = NewImporter(tg, o).Run(context.Background(), strings.NewReader(hdr2+siteA2+siteB+siteC+geoA+geoB))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Updated != 3 {
		t.Errorf("reopening %+v", sum)
	}
	if egB := tg.bodies[Key{TypeOrganization, EGID("010000032")}]; !bytes.Contains(egB, []byte(`"active":true`)) || bytes.Contains(egB, []byte(`"end"`)) {
		t.Errorf("EG B not reopened: %s", egB)
	}
}

// Re-imports keep the ROR's own elements and rewrite only the FINESS-owned ones.
func TestReimportKeepsRORElements(t *testing.T) {
	tg := newFakeTarget()
	importString(t, tg, hdr+siteA+geoA)
	k := Key{TypeOrganization, EGID("010000024")}
	edited := bytes.Replace(tg.bodies[k], []byte(`"telecom":[`),
		[]byte(`"contact":[{"name":{"text":"Accueil"}}],"telecom":[{"system":"email","value":"accueil@ch.fr"},`), 1)
	edited = bytes.Replace(edited, []byte(`"meta":{`), []byte(`"meta":{"versionId":"1","lastUpdated":"2021-01-09T00:00:00.000Z",`), 1)
	edited = bytes.Replace(edited, []byte(`"tag":[`), []byte(`"tag":[{"system":"urn:x","code":"y"},`), 1)
	edited = bytes.Replace(edited, []byte(`"name":"CH DE FLEYRIAT"`), []byte(`"name":"CH FLEYRIAT (edited)"`), 1)
	tg.bodies[k] = edited
	sum := importString(t, tg, hdr+siteA+geoA)
	if sum.Updated != 1 {
		t.Errorf("summary %+v", sum)
	}
	got := tg.bodies[k]
	for _, want := range []string{`"contact":[{"name":{"text":"Accueil"}}]`, `"value":"accueil@ch.fr"`, `"name":"CH DE FLEYRIAT"`, `{"system":"urn:x","code":"y"}`, `"value":"0474454647"`} {
		if !bytes.Contains(got, []byte(want)) {
			t.Errorf("missing %s in %s", want, got)
		}
	}
	if bytes.Contains(got, []byte(`versionId`)) || bytes.Contains(got, []byte(`(edited)`)) {
		t.Errorf("server meta or edited FINESS name kept: %s", got)
	}
	if sum := importString(t, tg, hdr+siteA+geoA); sum.Updated != 0 {
		t.Errorf("merged body not stable: %+v", sum)
	}
}

// A truncated file, or one missing too many establishments, closes nothing.
func TestNoClosureOnIncompleteFile(t *testing.T) {
	tg := newFakeTarget()
	importString(t, tg, hdr+siteA+siteB+geoA+geoB)
	if s := importString(t, tg, hdr+siteA+geoA+"geolocalisation;0100"); s.Closed != 0 {
		t.Errorf("truncated file closed %d", s.Closed)
	}
	var probs []Problem
	sum, err := NewImporter(tg, Options{Report: func(p Problem) { probs = append(probs, p) }}).Run(context.Background(), strings.NewReader(hdr+siteA+geoA))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Closed != 0 || len(probs) == 0 || !strings.Contains(probs[0].Reason, "looks incomplete") {
		t.Errorf("closed %d of 2 sites; problems %v", sum.Closed, probs)
	}
}

// Resources the write path refuses are counted and reported; the import goes on.
func TestRefusedResources(t *testing.T) {
	tg := newFakeTarget()
	tg.reject = func(r Resource) bool { return r.Type == TypeLocation }
	var probs []Problem
	sum, err := NewImporter(tg, Options{Report: func(p Problem) { probs = append(probs, p) }}).Run(context.Background(), strings.NewReader(hdr+siteA+siteB+geoA+geoB))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rejected != 2 || sum.Created != 4 || len(probs) != 2 || probs[0].Line != 4 || probs[0].ID != "Location/finess-loc-010000024" {
		t.Errorf("summary %+v, problems %v", sum, probs)
	}
}

// Geolocation lines before their structure line are joined at the end.
func TestGeoBeforeStructure(t *testing.T) {
	tg := newFakeTarget()
	if s := importString(t, tg, hdr+geoA+siteA); s.Locations != 1 || s.Rejected != 0 {
		t.Errorf("summary %+v", s)
	}
}
