package bulkload

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rorfhir/ror/internal/shareddir"
)

// fakeWriter stores bodies; unchanged when the bytes are equal; refuses ids starting with
// "refuse".
type fakeWriter struct {
	bodies map[string][]byte
	calls  int
}

func (f *fakeWriter) Upsert(_ context.Context, in []Resource) ([]Outcome, error) {
	f.calls++
	out := make([]Outcome, len(in))
	for i, r := range in {
		k := r.Type + "/" + r.ID
		switch old, ok := f.bodies[k]; {
		case strings.HasPrefix(r.ID, "refuse"):
			out[i] = Outcome{Status: Rejected, Err: errString("business rule says no")}
		case !ok:
			f.bodies[k] = r.Body
			out[i] = Outcome{Status: Created}
		case bytes.Equal(old, r.Body):
			out[i] = Outcome{Status: Unchanged}
		default:
			f.bodies[k] = r.Body
			out[i] = Outcome{Status: Updated}
		}
	}
	return out, nil
}

type errString string

func (e errString) Error() string { return string(e) }

var _ Writer = (*fakeWriter)(nil)

func loadPaths(t *testing.T, w *fakeWriter, paths ...string) (Summary, []string) {
	t.Helper()
	var probs []string
	var progressCalls int
	sum, err := New(w, Options{BatchSize: 2, Report: func(p Problem) { probs = append(probs, p.String()) },
		Progress: func(done, n int64) { progressCalls++ }}).LoadFiles(context.Background(), paths...)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Resources > 0 && progressCalls == 0 {
		t.Error("no progress reported")
	}
	return sum, probs
}

func TestLoadNDJSON(t *testing.T) {
	w := &fakeWriter{bodies: map[string][]byte{}}
	sum, probs := loadPaths(t, w, filepath.Join("testdata", "mixed.ndjson"))
	want := Summary{Files: 1, Resources: 5, Created: 4, Rejected: 4}
	if sum != want {
		t.Errorf("summary %+v, want %+v", sum, want)
	}
	wantProbs := []string{
		"testdata/mixed.ndjson:4: ",
		"testdata/mixed.ndjson:5: ",
		"testdata/mixed.ndjson:6: ",
		"testdata/mixed.ndjson:8: Organization/refuse-me: business rule says no",
	}
	if len(probs) != len(wantProbs) {
		t.Fatalf("problems %q", probs)
	}
	for i, p := range wantProbs {
		if !strings.HasPrefix(probs[i], p) {
			t.Errorf("problem %q, want prefix %q", probs[i], p)
		}
	}
	// Bodies are kept as sent (4.50 stays 4.50).
	if got := string(w.bodies["Location/loc-1"]); !strings.Contains(got, `"longitude":4.50`) {
		t.Errorf("body rewritten: %s", got)
	}
	if _, ok := w.bodies["Organization/"]; !ok {
		t.Error("a resource without id is passed with an empty id")
	}
	// Loading again changes nothing.
	sum, _ = loadPaths(t, w, filepath.Join("testdata", "mixed.ndjson"))
	if sum.Unchanged != 4 || sum.Created != 0 {
		t.Errorf("reload %+v", sum)
	}
}

func TestLoadBundleAndSingle(t *testing.T) {
	w := &fakeWriter{bodies: map[string][]byte{}}
	sum, probs := loadPaths(t, w, filepath.Join("testdata", "transaction.json"), filepath.Join("testdata", "single.json"))
	if want := (Summary{Files: 2, Resources: 3, Created: 3, Rejected: 1}); sum != want {
		t.Errorf("summary %+v, want %+v", sum, want)
	}
	if len(probs) != 1 || probs[0] != "testdata/transaction.json: entry[1]: entry without a resource (request DELETE)" {
		t.Errorf("problems %q", probs)
	}
	for _, k := range []string{"Organization/b-1", "Location/b-2", "ValueSet/vs-1"} {
		if w.bodies[k] == nil {
			t.Errorf("%s not loaded", k)
		}
	}
}

func TestLoadCompressedAndArchive(t *testing.T) {
	dir := t.TempDir()
	nd, err := os.ReadFile(filepath.Join("testdata", "mixed.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	gz := filepath.Join(dir, "mixed.ndjson.gz")
	writeFile(t, gz, gzipped(t, nd))
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	for _, m := range []struct{ name, body string }{
		{"export/README.txt", "not a resource"},
		{"export/a.ndjson", `{"resourceType":"Organization","id":"t-1"}` + "\n" + `{"resourceType":"Organization","id":"t-2"}` + "\n"},
		{"export/b.ndjson.gz", string(gzipped(t, []byte(`{"resourceType":"Location","id":"t-3"}`+"\n"+"oops\n")))},
		{"export/c.json", `{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Location","id":"t-4"}}]}`},
	} {
		if err := tw.WriteHeader(&tar.Header{Name: m.name, Mode: 0o644, Size: int64(len(m.body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(m.body))
	}
	tw.Close()
	tgz := filepath.Join(dir, "export.tar.gz")
	writeFile(t, tgz, gzipped(t, tb.Bytes()))

	w := &fakeWriter{bodies: map[string][]byte{}}
	sum, probs := loadPaths(t, w, gz, tgz)
	if want := (Summary{Files: 4, Resources: 9, Created: 8, Rejected: 5}); sum != want {
		t.Errorf("summary %+v, want %+v", sum, want)
	}
	last := probs[len(probs)-1]
	if !strings.HasPrefix(last, tgz+":export/b.ndjson:2: ") {
		t.Errorf("archive problem %q", last)
	}
	if total, err := TotalSize(gz, tgz); err != nil || total <= 0 {
		t.Errorf("TotalSize = %d, %v", total, err)
	}
}

func TestLoadUnknownFormat(t *testing.T) {
	_, err := New(&fakeWriter{}, Options{}).Load(context.Background(), "x.csv", strings.NewReader(""))
	if err == nil || !strings.Contains(err.Error(), "unknown format") {
		t.Errorf("err = %v", err)
	}
}

// The FHIR conversion of ../shared/finess/fhir loads whole (one archive: 10,000 establishments).
func TestLoadSharedArchive(t *testing.T) {
	if testing.Short() {
		t.Skip("shared data: not in -short mode")
	}
	path := filepath.Join(sharedDir(t), "finess", "fhir", "etab0-10000.tar.gz")
	w := &fakeWriter{bodies: map[string][]byte{}}
	sum, err := New(w, Options{}).LoadFiles(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rejected != 0 || sum.Resources < 19000 || sum.Created != sum.Resources {
		t.Errorf("summary %+v", sum)
	}
	t.Logf("%+v", sum)
}

func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// sharedDir locates ../shared next to the repository root, or $ROR_SHARED; missing fails.
func sharedDir(t *testing.T) string {
	t.Helper()
	return shareddir.Require(t, "finess")
}

// A single resource whose type element is not a string (HealthcareService.type is an array) is
// loaded, not taken for a malformed Bundle.
func TestLoadSingleWithTypeArray(t *testing.T) {
	f := filepath.Join(t.TempDir(), "hs.json")
	body := `{"resourceType":"HealthcareService","id":"hs-1","type":[{"text":"x"}]}`
	if err := os.WriteFile(f, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	w := &fakeWriter{bodies: map[string][]byte{}}
	sum, probs := loadPaths(t, w, f)
	if sum.Created != 1 || len(probs) != 0 || w.bodies["HealthcareService/hs-1"] == nil {
		t.Errorf("summary %+v, problems %q", sum, probs)
	}
}
