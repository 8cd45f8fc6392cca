package integration

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rorfhir/ror/internal/shareddir"

	"github.com/rorfhir/ror/internal/app"
	"github.com/rorfhir/ror/internal/config"
	"github.com/rorfhir/ror/internal/finess"
	"github.com/rorfhir/ror/internal/service"
	"github.com/rorfhir/ror/store"
)

// sharedFinessDir locates ../shared/finess ($ROR_SHARED/finess when set). A missing folder fails
// the test: the national checks must not be skipped silently.
func sharedFinessDir(t testing.TB) string {
	t.Helper()
	return filepath.Join(shareddir.Require(t, "finess"), "finess")
}

// nationalFinessFile is the national FINESS extraction of the shared folder.
func nationalFinessFile(t testing.TB) string {
	return filepath.Join(sharedFinessDir(t), "etalab-cs1100507-stock-20210108-0427.csv")
}

// finessSubset writes the header of the national file, its first n establishments (structureet
// lines) and their geolocation lines to a temporary file; n <= 0 returns the whole file.
func finessSubset(t testing.TB, n int) string {
	t.Helper()
	src := nationalFinessFile(t)
	if n <= 0 {
		return src
	}
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	keep := map[string]bool{}
	for _, l := range lines {
		if len(keep) < n && strings.HasPrefix(l, "structureet;") {
			keep[strings.SplitN(l, ";", 3)[1]] = true
		}
	}
	var sb strings.Builder
	for _, l := range lines {
		f := strings.SplitN(l, ";", 3)
		if f[0] == "finess" || len(f) > 1 && keep[f[1]] {
			sb.WriteString(l + "\n")
		}
	}
	dst := filepath.Join(t.TempDir(), "finess-subset.csv")
	if err := os.WriteFile(dst, []byte(sb.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return dst
}

// importFile runs the FINESS importer on path through the real service over st.
func importFile(t testing.TB, st store.Store, path string, problems *[]finess.Problem) finess.Summary {
	t.Helper()
	ctx := context.Background()
	svc, err := app.NewService(st, config.Config{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sum, err := finess.NewImporter(app.Writer{Service: svc, Store: st}, finess.Options{
		Date: "2024-01-01",
		Report: func(p finess.Problem) {
			if problems != nil {
				*problems = append(*problems, p)
			}
		},
	}).Run(ctx, bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// capture is a finess.Target that keeps the bodies (an empty store: every resource is new).
type capture struct{ res []finess.Resource }

func (c *capture) Current(context.Context, []finess.Key) (map[finess.Key][]byte, error) {
	return nil, nil
}
func (c *capture) ListIDs(context.Context, string, string) ([]string, error) { return nil, nil }
func (c *capture) Upsert(_ context.Context, in []finess.Resource) ([]finess.Outcome, error) {
	c.res = append(c.res, in...)
	return make([]finess.Outcome, len(in)), nil
}

// timedStore measures the wall time spent in PutMany (the store's single writer: the part of an
// import that cannot run in parallel).
type timedStore struct {
	store.Store
	putMany atomic.Int64 // nanoseconds
}

func (t *timedStore) PutMany(ctx context.Context, ws []store.Write) ([]store.Version, error) {
	start := time.Now()
	defer func() { t.putMany.Add(int64(time.Since(start))) }()
	return t.Store.PutMany(ctx, ws)
}

// cpuTime is the process's user + system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchSites is the number of establishments of the national file the import benchmark uses:
// $ROR_BENCH_SITES, default 10,000 ("0": the whole file, 95,333 sites, about 240k resources).
func benchSites(b *testing.B) int {
	n := 10000
	if v := os.Getenv("ROR_BENCH_SITES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatalf("ROR_BENCH_SITES=%q: %v", v, err)
		}
	}
	return n
}

// BenchmarkFinessImport measures, in the same run and on the same data (the first
// $ROR_BENCH_SITES establishments of the national file), the three numbers of issue 3's
// performance note: the FINESS import through the real service into a fresh store, the re-import
// of the unchanged file, and the raw insertion of the same JSON documents with store.PutMany
// without any FHIR logic (no checks, empty search index, the service's batches of
// service.DefaultUpsertBatch). Each reports wall time
// (ns/op), CPU seconds and resources per second. Run with -benchtime 1x.
func BenchmarkFinessImport(b *testing.B) {
	path := finessSubset(b, benchSites(b))
	var first finess.Summary
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			st := &timedStore{Store: openStore(b)}
			b.StartTimer()
			cpu0 := cpuTime()
			first = importFile(b, st, path, nil)
			b.ReportMetric((cpuTime() - cpu0).Seconds(), "cpu-s/op")
			b.ReportMetric(time.Duration(st.putMany.Load()).Seconds(), "putmany-s/op")
		}
		n := first.Created + first.Updated + first.Unchanged + first.Rejected
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "resources/s")
	})
	b.Run("reimport", func(b *testing.B) {
		st := openStore(b)
		importFile(b, st, path, nil)
		var sum finess.Summary
		for b.Loop() {
			cpu0 := cpuTime()
			sum = importFile(b, st, path, nil)
			b.ReportMetric((cpuTime() - cpu0).Seconds(), "cpu-s/op")
		}
		if sum.Created+sum.Updated+sum.Closed != 0 {
			b.Fatalf("re-import changed something: %+v", sum)
		}
		b.ReportMetric(float64(sum.Unchanged)*float64(b.N)/b.Elapsed().Seconds(), "resources/s")
	})
	b.Run("raw-putmany", func(b *testing.B) {
		c := &capture{}
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		_, err = finess.NewImporter(c, finess.Options{Date: "2024-01-01"}).Run(context.Background(), bufio.NewReader(f))
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		for b.Loop() {
			b.StopTimer()
			st := &timedStore{Store: openStore(b)}
			b.StartTimer()
			cpu0 := cpuTime()
			at := time.Now().UTC().Truncate(time.Millisecond)
			for start := 0; start < len(c.res); start += service.DefaultUpsertBatch {
				batch := c.res[start:min(start+service.DefaultUpsertBatch, len(c.res))]
				ws := make([]store.Write, len(batch))
				for i, r := range batch {
					ws[i] = store.Write{Type: r.Type, ID: r.ID, VersionID: 1, LastUpdated: at, Body: r.Body}
				}
				if _, err := st.PutMany(ctx, ws); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((cpuTime() - cpu0).Seconds(), "cpu-s/op")
			b.ReportMetric(time.Duration(st.putMany.Load()).Seconds(), "putmany-s/op")
		}
		b.ReportMetric(float64(len(c.res))*float64(b.N)/b.Elapsed().Seconds(), "resources/s")
	})
}
