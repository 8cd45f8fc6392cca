package finess

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// nationalCounts counts what the national file holds with encoding/csv, independently of Reader.
func nationalCounts(t testing.TB) (ej, eg, located int) {
	t.Helper()
	f, err := os.Open(nationalFile(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.FieldsPerRecord, r.ReuseRecord = ';', -1, true
	ejs := map[string]bool{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch rec[0] {
		case "structureet":
			eg++
			ejs[rec[2]] = true
		case "geolocalisation":
			if rec[2] != "" && rec[3] != "" {
				located++
			}
		}
	}
	return len(ejs), eg, located
}

// discard is a Target that stores nothing (each import is a first import).
type discard struct {
	mu     sync.Mutex // the import writes batches concurrently
	n      int
	bytes  int64
	bodies func(Resource)
}

func (d *discard) Current(context.Context, []Key) (map[Key][]byte, error)    { return nil, nil }
func (d *discard) ListIDs(context.Context, string, string) ([]string, error) { return nil, nil }
func (d *discard) Upsert(_ context.Context, in []Resource) ([]Outcome, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]Outcome, len(in))
	for i, r := range in {
		d.n++
		d.bytes += int64(len(r.Body))
		if d.bodies != nil {
			d.bodies(r)
		}
		out[i] = Outcome{Status: Created}
	}
	return out, nil
}

func TestNationalFile(t *testing.T) {
	if testing.Short() {
		t.Skip("national file: not in -short mode")
	}
	ej, eg, located := nationalCounts(t)
	f, err := os.Open(nationalFile(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	counts := map[string]int{}
	var probs []Problem
	d := &discard{bodies: func(r Resource) {
		counts[r.Type+"/"+r.ID[:strings.LastIndexByte(r.ID, '-')]]++
	}}
	start := time.Now()
	sum, err := NewImporter(d, Options{Report: func(p Problem) { probs = append(probs, p) }}).Run(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d resources (%d MB of JSON) in %v: %+v", d.n, d.bytes>>20, time.Since(start), sum)
	if sum.EJ != ej || sum.EG != eg || sum.Locations != located || sum.Rejected != 0 {
		t.Errorf("EJ %d EG %d Locations %d rejected %d; the file holds %d EJ, %d EG, %d geolocated sites",
			sum.EJ, sum.EG, sum.Locations, sum.Rejected, ej, eg, located)
	}
	if counts["Organization/finess-ej"] != ej || counts["Organization/finess-eg"] != eg || counts["Location/finess-loc"] != located {
		t.Errorf("written %v", counts)
	}
	if ej != 47084 || eg != 95333 {
		t.Errorf("the shared file changed: %d EJ, %d EG", ej, eg)
	}
	for i, p := range probs {
		if i < 10 {
			t.Log(p)
		}
	}
}

// BenchmarkNationalFile measures reading, projecting, mapping and merging the national file
// (everything but the store). Reports resources/s and allocations.
func BenchmarkNationalFile(b *testing.B) {
	data, err := os.ReadFile(nationalFile(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	var n int
	for b.Loop() {
		d := &discard{}
		if _, err := NewImporter(d, Options{}).Run(context.Background(), strings.NewReader(string(data))); err != nil {
			b.Fatal(err)
		}
		n = d.n
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "resources/s")
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse>>20), "heapMB")
}
