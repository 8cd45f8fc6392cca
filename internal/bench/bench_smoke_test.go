package bench

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rorfhir/ror/internal/shareddir"
)

// sharedDir locates the shared reference folder: $ROR_SHARED, or ../shared next to the repository
// root. A missing folder fails the test (these checks must not be skipped silently).
func sharedDir(t testing.TB) string {
	t.Helper()
	return shareddir.Require(t, "finess")
}

// TestRunSmoke runs the whole benchmark on 150 establishments with short scenarios: every
// scenario is measured without errors or reported as not available yet, and the report is whole.
func TestRunSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the server for a few seconds")
	}
	shared := sharedDir(t)
	cfg := Config{
		FinessFile:     filepath.Join(shared, "finess", "etalab-cs1100507-stock-20210108-0427.csv"),
		Establishments: 150, Services: 120, Concurrency: 2, LatencyConcurrency: []int{1}, Duration: 150 * time.Millisecond,
		CPUProfileDir: t.TempDir(),
	}
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Dataset.Establishments != 150 || rep.Dataset.HealthcareServices != 120 || rep.Dataset.StoreSizeBytes == 0 {
		t.Errorf("dataset %+v", rep.Dataset)
	}
	im := rep.Import
	if im.Resources < 300 || im.Seconds <= 0 || im.RawResourcesPerSecond <= 0 || im.ReimportUnchanged != im.Resources {
		t.Errorf("import %+v", im)
	}
	if len(rep.Results) != len(Scenarios()) {
		t.Fatalf("%d results for %d scenarios", len(rep.Results), len(Scenarios()))
	}
	for _, r := range rep.Results {
		switch r.Status {
		case StatusOK:
			if r.Requests == 0 || r.RPS <= 0 || r.BaselineRPS <= 0 || r.RatioToBaseline <= 0 || r.RSSMB <= 0 || r.P99ms < r.P50ms {
				t.Errorf("%s: incomplete measure %+v", r.Name, r)
			}
		case StatusNotAvailable:
			if r.Note == "" {
				t.Errorf("%s: not available without a reason", r.Name)
			}
		default:
			t.Errorf("%s: %s: %s %v", r.Name, r.Status, r.Note, r.ErrorReasons)
		}
	}
	for _, name := range []string{"read_by_id", "vread", "create", "update_if_match", "search_identifier", "history_paging_system"} {
		if r := find(rep.Results, name); r.Status != StatusOK {
			t.Errorf("%s must be measurable today: %+v", name, r)
		}
	}
	for _, x := range rep.Results {
		if x.Status != StatusOK || !isSearch(x.Name) {
			continue
		}
		if l, ok := x.LatencyAt(1); !ok || l.Status != StatusOK || l.Requests == 0 || l.P99ms < l.P50ms {
			t.Errorf("%s: latency run at 1 client %+v", x.Name, x.Latency)
		}
	}
	if _, err := os.Stat(filepath.Join(cfg.CPUProfileDir, "read_by_id.pprof")); err != nil {
		t.Errorf("profile: %v", err)
	}
	var md bytes.Buffer
	if err := rep.WriteMarkdown(&md); err != nil || !strings.Contains(md.String(), "| read_by_id | ok |") {
		t.Errorf("markdown: %v\n%s", err, md.String())
	}
}
