package finess

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// wgs84Reference reads ../shared/finess/finess-et-2021-01-wgs84.csv: nofinesset -> lat, lon,
// computed independently of this package.
func wgs84Reference(t testing.TB) map[string][2]float64 {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedDir(t), "finess", "finess-et-2021-01-wgs84.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ref := map[string][2]float64{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		id, _, _ := strings.Cut(line, ";")
		i := strings.LastIndexByte(line, ';')
		j := strings.LastIndexByte(line[:i], ';')
		lat, err1 := strconv.ParseFloat(line[j+1:i], 64)
		lon, err2 := strconv.ParseFloat(line[i+1:], 64)
		if err1 == nil && err2 == nil {
			ref[id] = [2]float64{lat, lon}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return ref
}

// Every projection of the national file, against the independent WGS84 table: every point within
// one metre, 99% within 10 cm (the table rounds to 1e-6 degree, about 0.1 m).
func TestProjectionsAgainstWGS84Table(t *testing.T) {
	ref := wgs84Reference(t)
	f, err := os.Open(nationalFile(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dists := map[string][]float64{}
	rd := NewReader(f)
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		g := rec.Geo
		if g == nil || !g.HasCoords {
			continue
		}
		want, ok := ref[g.NoFinessET]
		if !ok {
			continue
		}
		p, _ := projectionFor(g.Projection)
		lat, lon := p.Inverse(g.X, g.Y)
		dists[g.Projection] = append(dists[g.Projection], distance(lat, lon, want[0], want[1]))
	}
	for _, name := range []string{"LAMBERT_93", "UTM_N20", "UTM_N22", "UTM_S40"} {
		d := dists[name]
		if len(d) == 0 {
			t.Errorf("%s: no reference point", name)
			continue
		}
		sort.Float64s(d)
		med, p99, max := d[len(d)/2], d[len(d)*99/100], d[len(d)-1]
		t.Logf("%-10s %6d points: median %.3f m, p99 %.3f m, max %.3f m", name, len(d), med, p99, max)
		if max > 1 || p99 > 0.1 {
			t.Errorf("%s: median %.3f m, p99 %.3f m", name, med, p99)
		}
	}
}
