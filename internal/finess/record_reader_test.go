package finess

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func readAll(t *testing.T, r io.Reader) (recs []Record, errs []*LineError, rd *Reader) {
	t.Helper()
	rd = NewReader(r)
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return recs, errs, rd
		}
		var le *LineError
		if errors.As(err, &le) {
			errs = append(errs, le)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, rec)
	}
}

func openFixture(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// The fixture's bad lines, each reported with its line number and reason, and skipped.
var fixtureLineErrors = []struct {
	line   int
	reason string
}{
	{12, "structureet line has 7 fields, want 32"},
	{13, "structureet line has 34 fields, want 32"},
	{14, `unknown record type "equipementsocial"`},
	{15, `unexpected 'H' after the closing quote of field 4`},
	{23, `unknown projection "LAMBERT_2E"`},
	{32, "geolocalisation line has 3 fields, want 6 (last line has no end of line: truncated file?)"},
}

func TestReaderFixture(t *testing.T) {
	recs, errs, rd := readAll(t, openFixture(t, "fixture.csv"))
	if h, ok := rd.Header(); !ok || h.Date != "2021-01-08" || h.Version != "93" {
		t.Errorf("header = %+v, %v", h, ok)
	}
	if rd.Latin1() {
		t.Error("UTF-8 fixture read as Latin-1")
	}
	if len(errs) != len(fixtureLineErrors) {
		for _, e := range errs {
			t.Log(e)
		}
		t.Fatalf("%d line errors, want %d", len(errs), len(fixtureLineErrors))
	}
	for i, w := range fixtureLineErrors {
		if errs[i].Line != w.line || !strings.Contains(errs[i].Reason, w.reason) {
			t.Errorf("error %d = %v, want line %d: %s", i, errs[i], w.line, w.reason)
		}
	}
	if !errs[len(errs)-1].Truncated {
		t.Error("last line not flagged truncated")
	}
	var st, geo int
	for _, r := range recs {
		if r.Structure != nil {
			st++
		} else {
			geo++
		}
	}
	if st != 12 || geo != 12 {
		t.Errorf("%d structure and %d geolocation records, want 12 and 12", st, geo)
	}
	q := recs[2].Structure
	if q.RS != `ACCUEIL DE JOUR "AUX  LUCIOLES"` || q.Voie != "DU COLLÈGE" || q.CodeSPH != "" {
		t.Errorf("quoted line: %+v", q)
	}
	g := recs[18].Geo // line 26, CRLF
	if g.NoFinessET != "970200028" || g.DateMaj != "2021-01-04" || g.Projection != "UTM_N20" || g.X != 709453.6 {
		t.Errorf("CRLF line: %+v", g)
	}
	empty := recs[21].Geo // line 29: no coordinates
	if empty.NoFinessET != "010000214" || empty.HasCoords {
		t.Errorf("empty coordinates: %+v", empty)
	}
}

// The Latin-1 copy of the fixture gives the same records.
func TestReaderLatin1(t *testing.T) {
	utf, errs1, _ := readAll(t, openFixture(t, "fixture.csv"))
	lat, errs2, rd := readAll(t, openFixture(t, "fixture-latin1.csv"))
	if !rd.Latin1() {
		t.Error("Latin-1 not detected")
	}
	if !reflect.DeepEqual(utf, lat) || !reflect.DeepEqual(errs1, errs2) {
		t.Error("Latin-1 fixture read differently from the UTF-8 one")
	}
}

func TestReaderLines(t *testing.T) {
	geo := "geolocalisation;010000024;870215.7;6571590.5;1,IGN,LAMBERT_93;2021-01-04"
	st := "structureet;010000024;010780054;CH;;;;;;;;;451;01;AIN;01440 VIRIAT;;;;;;;;;;;;;;;;"
	cases := []struct {
		name, in string
		reason   string // "" = accepted
	}{
		{"bom and header", "\xef\xbb\xbffiness;etalab;93;2021-01-08\n" + geo + "\n", ""},
		{"no header", geo + "\n", ""},
		{"bad header date", "finess;etalab;93;2021-13-08\n", "bad extraction date"},
		{"bad x", strings.Replace(geo, "870215.7", "87O215.7", 1) + "\n", "bad coordinates"},
		{"one coordinate", strings.Replace(geo, "870215.7", "", 1) + "\n", "bad coordinates"},
		{"bad finess", strings.Replace(geo, "010000024", "01000002", 1) + "\n", "bad nofinesset"},
		{"bad datemaj", strings.Replace(geo, "2021-01-04", "04/01/2021", 1) + "\n", "bad datemaj"},
		{"unterminated quote", `structureet;"010000024;x` + "\n", "unterminated quoted field"},
		{"structure ok", st + "\n", ""},
		{"empty name", strings.Replace(st, ";CH;", ";;", 1) + "\n", "empty rs"},
		{"bad ej", strings.Replace(st, "010780054", "X10780054", 1) + "\n", "bad nofinessej"},
		{"bad dateouv", withField(st, 28, "1901-02-3") + "\n", "bad dateouv"},
		{"quoted empty and quoted last", withField(withField(st, 5, `""`), 31, `"A;B"`) + "\n", ""},
		{"complete last line without newline", geo, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errs, _ := readAll(t, strings.NewReader(c.in))
			switch {
			case c.reason == "" && len(errs) > 0:
				t.Errorf("unexpected error %v", errs[0])
			case c.reason != "" && (len(errs) != 1 || !strings.Contains(errs[0].Reason, c.reason)):
				t.Errorf("errors %v, want one with %q", errs, c.reason)
			}
		})
	}
}

func TestValidDate(t *testing.T) {
	for s, want := range map[string]bool{"2021-01-08": true, "2021-00-08": false, "2021-1-08": false, "2021-01-32": false, "abcd-01-01": false} {
		if validDate(s) != want {
			t.Errorf("validDate(%q) != %v", s, want)
		}
	}
}

func withField(line string, i int, v string) string {
	f := strings.Split(line, ";")
	f[i] = v
	return strings.Join(f, ";")
}
