package integration

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rorfhir/ror/internal/app"
	"github.com/rorfhir/ror/internal/finess"
	"github.com/rorfhir/ror/internal/service"
)

// subsetDepts are the départements of the national file imported by TestNationalCounts (a
// deterministic subset: importing the whole file takes minutes).
var subsetDepts = []string{"01", "69"}

func inSubset(nofiness string) bool {
	for _, d := range subsetDepts {
		if strings.HasPrefix(nofiness, d) {
			return true
		}
	}
	return false
}

// subsetFile writes the lines of the national etalab file whose establishment is in the subset
// and returns its path, with the names (rslongue, else rs) of the subset's sites.
func subsetFile(t *testing.T, src string) (string, map[string]string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatalf("national FINESS file missing: %v", err)
	}
	defer in.Close()
	path := filepath.Join(t.TempDir(), "subset.csv")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	names := map[string]string{}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	first := true
	for sc.Scan() {
		line := sc.Text()
		f := strings.Split(line, ";")
		keep := first || len(f) > 1 && (f[0] == "structureet" || f[0] == "geolocalisation") && inSubset(f[1])
		first = false
		if !keep {
			continue
		}
		if f[0] == "structureet" {
			r := csv.NewReader(strings.NewReader(line))
			r.Comma, r.FieldsPerRecord, r.LazyQuotes = ';', -1, true
			rec, err := r.Read()
			if err != nil || len(rec) < 5 {
				t.Fatalf("etalab line %q: %v", line, err)
			}
			names[rec[1]] = rec[4]
			if strings.TrimSpace(rec[4]) == "" {
				names[rec[1]] = rec[3]
			}
		}
		if _, err := io.WriteString(out, line+"\n"); err != nil {
			t.Fatal(err)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return path, names
}

// site is one row of the WGS84 file (an independent source of postal codes, categories and
// coordinates).
type site struct {
	postal, category string
	lat, lon         float64
	geo              bool
}

func readWGS84(t *testing.T, path string, names map[string]string) map[string]site {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("FINESS WGS84 file missing: %v", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.FieldsPerRecord, r.LazyQuotes = ';', -1, true
	head, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	out := map[string]site{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		id := rec[col["nofinesset"]]
		if _, ok := names[id]; !ok {
			continue // not in the subset of the etalab file
		}
		s := site{postal: rec[col["code_postal"]], category: rec[col["categetab"]]}
		lat, err1 := strconv.ParseFloat(rec[col["latitude"]], 64)
		lon, err2 := strconv.ParseFloat(rec[col["longitude"]], 64)
		if err1 == nil && err2 == nil {
			s.lat, s.lon, s.geo = lat, lon, true
		}
		out[id] = s
	}
	return out
}

// fold lower-cases and strips the accents of French text (independently of fhir/textfold).
func fold(s string) string {
	r := strings.NewReplacer("é", "e", "è", "e", "ê", "e", "ë", "e", "à", "a", "â", "a", "ä", "a", "î", "i", "ï", "i",
		"ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ç", "c", "œ", "oe", "æ", "ae")
	return strings.Join(strings.Fields(r.Replace(strings.ToLower(s))), " ")
}

func haversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * 6371.0088 * math.Asin(math.Sqrt(a))
}

// TestNationalCounts imports the subset of the national FINESS file and compares search counts
// with counts computed here from the WGS84 file and the etalab lines.
func TestNationalCounts(t *testing.T) {
	if testing.Short() {
		t.Skip("imports two départements of the national file")
	}
	shared := sharedDir(t)
	path, names := subsetFile(t, filepath.Join(shared, "finess", "etalab-cs1100507-stock-20210108-0427.csv"))
	sites := readWGS84(t, filepath.Join(shared, "finess", "finess-et-2021-01-wgs84.csv"), names)
	if len(names) < 1000 || len(sites) < len(names)*9/10 {
		t.Fatalf("subset: %d sites in the etalab file, %d in the WGS84 file", len(names), len(sites))
	}
	e := newEnv(t, service.Options{})
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sum, err := finess.NewImporter(app.Writer{Service: e.svc, Store: e.st}, finess.Options{}).Run(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	if sum.EG != len(names) {
		t.Fatalf("imported %d EG, the subset has %d sites", sum.EG, len(names))
	}
	count := func(q string) int {
		t.Helper()
		r := e.do("GET", q+"&_summary=count", "")
		if r.status != 200 {
			t.Fatalf("%s: %d %s", q, r.status, r.body)
		}
		return int(r.json(t)["total"].(float64))
	}
	expect := func(pred func(id string, s site) bool) int {
		n := 0
		for id, s := range sites {
			if pred(id, s) {
				n++
			}
		}
		return n
	}
	for _, pc := range []string{"690", "0110", "69003"} {
		want := expect(func(_ string, s site) bool { return strings.HasPrefix(s.postal, pc) })
		if got := count("/fhir/Location?address-postalcode=" + pc); got != want {
			t.Errorf("Location postal code %s*: %d, the WGS84 file has %d", pc, got, want)
		}
	}
	for _, cat := range []string{"355", "500", "124"} {
		want := expect(func(_ string, s site) bool { return s.category == cat })
		if got := count("/fhir/Organization?type=" + cat); got != want {
			t.Errorf("category %s: %d, the WGS84 file has %d", cat, got, want)
		}
	}
	for _, c := range []struct{ lat, lon, km float64 }{{45.764, 4.8357, 10}, {46.2052, 5.2255, 5}, {45.75, 4.85, 2}} {
		want := expect(func(_ string, s site) bool { return s.geo && haversineKm(c.lat, c.lon, s.lat, s.lon) <= c.km })
		// The server projects the etalab file's Lambert-93 coordinates itself: sites within 50 m of
		// the circle may fall on either side.
		edge := expect(func(_ string, s site) bool {
			return s.geo && math.Abs(haversineKm(c.lat, c.lon, s.lat, s.lon)-c.km) < 0.05
		})
		got := count(fmt.Sprintf("/fhir/Location?near=%v|%v|%v|km", c.lat, c.lon, c.km))
		if got < want-edge || got > want+edge || want == 0 {
			t.Errorf("near %v,%v %v km: %d, the WGS84 file has %d (±%d on the edge)", c.lat, c.lon, c.km, got, want, edge)
		}
	}
	for _, q := range []string{"Hôpital", "centre", "EHPAD", "pharmacie", "résidence"} {
		want := 0
		for _, n := range names {
			if strings.HasPrefix(fold(n), fold(q)) {
				want++
			}
		}
		got := count("/fhir/Organization?name=" + url.QueryEscape(q))
		if got != want || want == 0 {
			t.Errorf("name %q: %d, the etalab lines have %d", q, got, want)
		}
	}
}
