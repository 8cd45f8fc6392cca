package integration

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/rorfhir/ror/api"
	"github.com/rorfhir/ror/internal/app"
	"github.com/rorfhir/ror/internal/auth"
	"github.com/rorfhir/ror/internal/bulkload"
	"github.com/rorfhir/ror/internal/config"
	"github.com/rorfhir/ror/internal/finess"
	"github.com/rorfhir/ror/store"
)

// versionCount is the number of versions st holds (every resource, deleted or not).
func versionCount(t testing.TB, st store.Store) int {
	t.Helper()
	n := 0
	q := store.HistoryQuery{Count: 1000}
	for {
		p, err := st.History(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		n += len(p.Versions)
		if p.NextBeforeSeq == 0 {
			return n
		}
		q.BeforeSeq = p.NextBeforeSeq
	}
}

// readJSON reads the current version of typ/id, decoded.
func readJSON(t testing.TB, st store.Store, typ, id string) (store.Version, map[string]any) {
	t.Helper()
	v, err := st.Read(context.Background(), typ, id)
	if err != nil {
		t.Fatalf("read %s/%s: %v", typ, id, err)
	}
	var m map[string]any
	if err := json.Unmarshal(v.Body, &m); err != nil {
		t.Fatal(err)
	}
	return v, m
}

// rewriteLines writes the lines of src to a new file, each passed through edit (dropped when it
// returns "").
func rewriteLines(t testing.TB, src string, edit func(fields []string, line string) string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for _, l := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if l = edit(strings.Split(l, ";"), l); l != "" {
			sb.WriteString(l + "\n")
		}
	}
	dst := filepath.Join(t.TempDir(), "edited.csv")
	if err := os.WriteFile(dst, []byte(sb.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestFinessImportRealStore imports real FINESS lines (the first 40 establishments of the national
// file) through the server's service over the real store: a re-import writes nothing, a changed
// line updates its establishment only, and an establishment missing from a newer file is closed,
// not deleted.
func TestFinessImportRealStore(t *testing.T) {
	st := openStore(t)
	path := finessSubset(t, 40)
	var probs []finess.Problem
	first := importFile(t, st, path, &probs)
	if first.EG != 40 || first.Rejected != 0 || len(probs) != 0 || first.Created != first.EJ+first.EG+first.Locations {
		t.Fatalf("first import %+v, problems %v", first, probs)
	}
	versions := versionCount(t, st)
	if versions != first.Created {
		t.Fatalf("%d versions stored for %d created resources", versions, first.Created)
	}

	t.Run("idempotent", func(t *testing.T) {
		again := importFile(t, st, path, nil)
		if again.Created != 0 || again.Updated != 0 || again.Closed != 0 || again.Rejected != 0 || again.Unchanged != first.Created {
			t.Fatalf("re-import %+v", again)
		}
		if n := versionCount(t, st); n != versions {
			t.Fatalf("re-import wrote versions: %d -> %d", versions, n)
		}
	})

	// The establishment of the 3rd structureet line is renamed, and the last one disappears.
	var renamed, gone, goneEJ string
	sites := 0
	ejSites := map[string]int{}
	rewriteLines(t, path, func(f []string, l string) string {
		if f[0] == "structureet" {
			sites++
			ejSites[f[2]]++
			switch sites {
			case 3:
				renamed = f[1]
			case 40:
				gone, goneEJ = f[1], f[2]
			}
		}
		return l
	})
	t.Run("changed line", func(t *testing.T) {
		changed := rewriteLines(t, path, func(f []string, l string) string {
			if f[0] == "structureet" && f[1] == renamed {
				f[3] = "NOUVEAU NOM " + f[1]
				return strings.Join(f, ";")
			}
			return l
		})
		sum := importFile(t, st, changed, nil)
		if sum.Created != 0 || sum.Updated < 1 || sum.Updated > 2 || sum.Closed != 0 || sum.Unchanged != first.Created-sum.Updated {
			t.Fatalf("import of a renamed establishment %+v", sum)
		}
		v, org := readJSON(t, st, "Organization", "finess-eg-"+renamed)
		if org["name"] != "NOUVEAU NOM "+renamed || v.VersionID != 2 {
			t.Fatalf("renamed EG: version %d, name %v", v.VersionID, org["name"])
		}
		versions = versionCount(t, st)
	})

	t.Run("closure", func(t *testing.T) {
		newer := rewriteLines(t, path, func(f []string, l string) string {
			if len(f) > 1 && f[1] == gone && f[0] != "finess" {
				return ""
			}
			if f[0] == "structureet" && f[1] == renamed {
				f[3] = "NOUVEAU NOM " + f[1] // as in the previous import
				return strings.Join(f, ";")
			}
			return l
		})
		sum := importFile(t, st, newer, nil)
		wantClosed := 2 // the EG and its Location
		if ejSites[goneEJ] == 1 {
			wantClosed++ // and its EJ, which has no other site
		}
		if sum.Closed != wantClosed || sum.Created != 0 || sum.Updated != 0 || sum.Rejected != 0 {
			t.Fatalf("import without %s: %+v, want %d closed", gone, sum, wantClosed)
		}
		v, org := readJSON(t, st, "Organization", "finess-eg-"+gone)
		if v.Deleted || org["active"] != false || v.VersionID != 2 {
			t.Fatalf("closed EG: deleted %v, version %d, active %v", v.Deleted, v.VersionID, org["active"])
		}
		end := ""
		for _, e := range org["extension"].([]any) {
			if e := e.(map[string]any); e["url"] == "http://hl7.org/fhir/StructureDefinition/organization-period" {
				end, _ = e["valuePeriod"].(map[string]any)["end"].(string)
			}
		}
		if end != "2021-01-08" { // the extraction date of the file's header
			t.Fatalf("closed EG: organization-period end %q", end)
		}
		if _, loc := readJSON(t, st, "Location", "finess-loc-"+gone); loc["status"] != "inactive" {
			t.Fatalf("closed Location: status %v", loc["status"])
		}
		if n := versionCount(t, st); n != versions+wantClosed {
			t.Fatalf("closure: %d versions, want %d (one new version per closed resource, nothing deleted)", n, versions+wantClosed)
		}
		again := importFile(t, st, newer, nil)
		if again.Closed != 0 || again.Updated != 0 || again.Created != 0 {
			t.Fatalf("re-import of the newer file closes again: %+v", again)
		}
	})
}

// TestFinessOwnedThroughAPI: after an import, the HTTP API refuses a change of a FINESS-owned
// element (422 business-rule naming the element, to be corrected in FINESS) and accepts a change
// of a ROR element (a contact) on the same resource.
func TestFinessOwnedThroughAPI(t *testing.T) {
	st := openStore(t)
	importFile(t, st, finessSubset(t, 5), nil)
	svc, err := app.NewService(st, config.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(svc, auth.Off{}, api.Options{Logger: zerolog.Nop(), Version: "test"}))
	t.Cleanup(srv.Close)

	ids, err := app.Writer{Service: svc, Store: st}.ListIDs(context.Background(), "Organization", "finess-eg-")
	if err != nil || len(ids) == 0 {
		t.Fatalf("no imported EG: %v", err)
	}
	id := ids[0]
	_, org := readJSON(t, st, "Organization", id)
	put := func(body map[string]any) (int, map[string]any) {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(http.MethodPut, srv.URL+"/fhir/Organization/"+id, strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/fhir+json")
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		data, _ := io.ReadAll(res.Body)
		_ = json.Unmarshal(data, &out)
		return res.StatusCode, out
	}
	clone := func() map[string]any {
		b, _ := json.Marshal(org)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		return m
	}

	renamed := clone()
	renamed["name"] = "RENAMED BY HAND"
	status, oo := put(renamed)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("PUT of a new name: %d %v", status, oo)
	}
	var errs []map[string]any // the informational issues of unloaded value sets aside
	issues, _ := oo["issue"].([]any)
	for _, is := range issues {
		if is := is.(map[string]any); is["severity"] == "error" || is["severity"] == "fatal" {
			errs = append(errs, is)
		}
	}
	if len(errs) != 1 {
		t.Fatalf("want one error issue: %v", oo)
	}
	is := errs[0]
	expr, _ := is["expression"].([]any)
	diag, _ := is["diagnostics"].(string)
	if is["code"] != "business-rule" || len(expr) != 1 || expr[0] != "Organization.name" || !strings.Contains(diag, "corrected in FINESS") {
		t.Fatalf("issue %v", is)
	}
	if v, after := readJSON(t, st, "Organization", id); v.VersionID != 1 || after["name"] != org["name"] {
		t.Fatalf("the refused change was written: version %d name %v", v.VersionID, after["name"])
	}

	withContact := clone()
	if err := json.Unmarshal([]byte(rorContact), &withContact); err != nil {
		t.Fatal(err)
	}
	if status, oo := put(withContact); status != http.StatusOK {
		t.Fatalf("PUT adding a contact: %d %v", status, oo)
	}
	v, after := readJSON(t, st, "Organization", id)
	if v.VersionID != 2 || after["contact"] == nil || after["name"] != org["name"] {
		t.Fatalf("after the contact: version %d %v", v.VersionID, after)
	}

	// The next import keeps the contact (a ROR element) and changes nothing.
	sum := importFile(t, st, finessSubset(t, 5), nil)
	if sum.Updated != 0 || sum.Created != 0 {
		t.Fatalf("re-import after the contact: %+v", sum)
	}
	if _, after := readJSON(t, st, "Organization", id); after["contact"] == nil {
		t.Fatal("the import dropped the ROR contact")
	}
}

// rorContact is a contact as the ror-organization profile wants it (confidentiality levels,
// communication channel).
const rorContact = `{"contact":[{"extension":[{"url":"https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/ror-contact-confidentiality-level","valueCodeableConcept":{"coding":[{"system":"https://mos.esante.gouv.fr/NOS/TRE_R283-NiveauConfidentialite/FHIR/TRE-R283-NiveauConfidentialite","code":"1"}]}}],
"purpose":{"coding":[{"system":"https://mos.esante.gouv.fr/NOS/TRE_R287-NatureContact/FHIR/TRE-R287-NatureContact","code":"01"}]},"name":{"family":"Martin"},
"telecom":[{"extension":[{"url":"https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/ror-telecom-communication-channel","valueCodeableConcept":{"coding":[{"system":"https://mos.esante.gouv.fr/NOS/TRE_R200-CanalCommunication/FHIR/TRE-R200-CanalCommunication","code":"2"}]}},
{"url":"https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/ror-telecom-confidentiality-level","valueCodeableConcept":{"coding":[{"system":"https://mos.esante.gouv.fr/NOS/TRE_R283-NiveauConfidentialite/FHIR/TRE-R283-NiveauConfidentialite","code":"1"}]}}],"system":"phone","value":"0102030405"}]}]}`

// TestLoadSharedArchive loads one archive of the shared FHIR conversion (NDJSON in tar.gz)
// through the real service, then again: every resource is created once, the second load changes
// nothing.
func TestLoadSharedArchive(t *testing.T) {
	if testing.Short() {
		t.Skip("11k resources through the real service: not in -short mode")
	}
	path := filepath.Join(sharedFinessDir(t), "fhir", "etab90001-95541.tar.gz")
	want := countNDJSON(t, path)
	st := openStore(t)
	svc, err := app.NewService(st, config.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var probs []bulkload.Problem
	load := func() bulkload.Summary {
		sum, err := bulkload.New(app.BulkWriter{Service: svc}, bulkload.Options{
			Report: func(p bulkload.Problem) { probs = append(probs, p) },
		}).LoadFiles(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	start := time.Now()
	sum := load()
	t.Logf("loaded %s in %v: %+v", filepath.Base(path), time.Since(start), sum)
	if sum.Resources != want || sum.Created != want || sum.Rejected != 0 || len(probs) != 0 {
		t.Fatalf("load of %d resources: %+v, problems %v", want, sum, probs[:min(len(probs), 5)])
	}
	if n := versionCount(t, st); n != want {
		t.Fatalf("%d versions stored", n)
	}
	again := load()
	if again.Unchanged != want || again.Created+again.Updated+again.Rejected != 0 {
		t.Fatalf("second load: %+v", again)
	}
}

// countNDJSON counts the non-empty lines of the NDJSON members of a tar.gz, independently of the
// loader.
func countNDJSON(t testing.TB, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	err = eachTarLine(f, func(line string) {
		if strings.TrimSpace(line) != "" {
			n++
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestFinessNationalRealStore imports the whole national file through the real service into the
// real store: EJ and EG counts equal what the file holds (counted with encoding/csv), and the
// Locations written are the geolocated sites that have a commune code. The others (2 in the shared
// file: 770015121 and 770022424, whose commune field is empty and whose postal line is a CEDEX
// used by no other line, so that no commune can be inferred) are refused by the ror-location
// profile (ror-commune-cog is required), each reported with its line number.
func TestFinessNationalRealStore(t *testing.T) {
	if testing.Short() {
		t.Skip("national file through the real store (about 240k resources, minutes): not in -short mode")
	}
	ej, eg, located, noCommune := countNational(t)
	st := openStore(t)
	var probs []finess.Problem
	start, cpu0 := time.Now(), cpuTime()
	sum := importFile(t, st, nationalFinessFile(t), &probs)
	t.Logf("national import in %v (%v CPU): %+v", time.Since(start).Round(time.Millisecond), (cpuTime() - cpu0).Round(time.Millisecond), sum)
	if sum.EJ != ej || sum.EG != eg || sum.Locations != located {
		t.Errorf("produced EJ %d EG %d Locations %d; the file holds %d EJ, %d EG, %d geolocated sites", sum.EJ, sum.EG, sum.Locations, ej, eg, located)
	}
	if sum.Created != ej+eg+located-len(noCommune) || sum.Rejected != len(noCommune) {
		t.Errorf("created %d rejected %d; want %d created and the %d geolocated sites without commune rejected",
			sum.Created, sum.Rejected, ej+eg+located-len(noCommune), len(noCommune))
	}
	for _, p := range probs {
		et := strings.TrimPrefix(p.ID, "Location/finess-loc-")
		if noCommune[et] == 0 || p.Line != noCommune[et] || !strings.Contains(p.Reason, "Location.extension") {
			t.Errorf("unexpected problem: %v", p)
		}
	}
	if len(noCommune) != 2 {
		t.Errorf("the shared file changed: %d geolocated sites without commune", len(noCommune))
	}
}

// countNational counts, with encoding/csv, the EJ, EG and geolocated sites of the national file,
// and the geolocated sites without commune code (by FINESS number, with the line of their
// geolocation line).
func countNational(t testing.TB) (ej, eg, located int, noCommune map[string]int) {
	t.Helper()
	f, err := os.Open(nationalFinessFile(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.FieldsPerRecord = ';', -1
	ejs, communeless, geoLine := map[string]bool{}, map[string]bool{}, map[string]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		line, _ := r.FieldPos(0)
		switch rec[0] {
		case "structureet":
			eg++
			ejs[rec[2]] = true
			if rec[12] == "" {
				communeless[rec[1]] = true
			}
		case "geolocalisation":
			if rec[2] != "" && rec[3] != "" {
				located++
				geoLine[rec[1]] = line
			}
		}
	}
	noCommune = map[string]int{}
	for et := range communeless {
		if geoLine[et] > 0 {
			noCommune[et] = geoLine[et]
		}
	}
	return len(ejs), eg, located, noCommune
}

// eachTarLine calls fn with each line of each regular file of a gzip-compressed tar stream.
func eachTarLine(r io.Reader, fn func(string)) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		sc := bufio.NewScanner(tr)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			fn(sc.Text())
		}
		if err := sc.Err(); err != nil {
			return err
		}
	}
}
