package integration

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/rorfhir/ror/fhir/search"
	"github.com/rorfhir/ror/internal/service"
	"github.com/rorfhir/ror/store/sqlite"
)

// perfQueries are typical first-page queries of the ROR's users on the national FINESS data.
var perfQueries = []struct{ name, typ, query string }{
	{"postal code prefix", "Organization", "address-postalcode=75"},
	{"category", "Organization", "type=https://mos.esante.gouv.fr/NOS/TRE_R66-CategorieEtablissement/FHIR/TRE-R66-CategorieEtablissement|355"},
	{"name prefix, accents", "Organization", "name=hôpital"},
	{"region tag", "Organization", "_tag=https://mos.esante.gouv.fr/NOS/TRE_R30-RegionOM/FHIR/TRE-R30-RegionOM|84"},
	{"near 10 km", "Location", "near=48.8566|2.3522|10|km"},
	{"near 10 km + include organization", "Location", "near=48.8566|2.3522|10|km&_include=Location:organization"},
	{"commune + include organization", "Location", "address-city=lyon&_include=Location:organization"},
	{"category + include EJ", "Organization", "type=355&_include=Organization:partof"},
	{"children of an EJ", "Organization", "partof=Organization/finess-ej-750712184"},
	{"chain: locations of CH", "Location", "organization.type=355"},
	{"delta _filter, nothing changed", "Organization", "_filter=" + url.QueryEscape("(_lastUpdated ge 2099-01-01 or partof._lastUpdated ge 2099-01-01)")},
	{"delta _filter, everything changed", "Organization", "_filter=" + url.QueryEscape("(_lastUpdated ge 2020-01-01 or partof._lastUpdated ge 2020-01-01)")},
	{"sorted by name", "Organization", "_sort=name&address-postalcode=13"},
	{"_lastUpdated + _total=accurate", "Location", "_lastUpdated=ge2020-01-01&_total=accurate&_count=200"},
}

// TestNationalSearchPerf measures the first page (200) of typical queries on a data dir holding
// the national FINESS import (ROR_PERF_DATA_DIR; skipped when unset): p50 and p99 per query.
func TestNationalSearchPerf(t *testing.T) {
	dir := os.Getenv("ROR_PERF_DATA_DIR")
	if dir == "" {
		t.Skip("ROR_PERF_DATA_DIR is not set (a data dir with `ror import finess` of the national file)")
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(dir, "ror.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(ctx)
	svc := service.New(st, search.Default(), service.Options{})
	rounds := 30
	for _, q := range perfQueries {
		params, err := url.ParseQuery(q.query)
		if err != nil {
			t.Fatal(err)
		}
		var ds []time.Duration
		n, inc := 0, 0
		for i := 0; i < rounds; i++ {
			start := time.Now()
			res, err := svc.Search(ctx, q.typ, params, service.SearchOptions{Strict: true})
			if err != nil {
				t.Fatalf("%s: %v", q.name, err)
			}
			ds = append(ds, time.Since(start))
			n, inc = len(res.Matches), len(res.Included)
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		p50, p99 := ds[len(ds)/2], ds[len(ds)*99/100]
		t.Logf("%-36s %4d matches %4d included  p50 %7.2f ms  p99 %7.2f ms", q.name, n, inc, ms(p50), ms(p99))
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
