package bench

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sampleReport() *Report {
	r := &Report{
		Date: "2026-01-01T00:00:00Z", Mode: "quick", Config: RunInfo{Concurrency: 16}, Machine: Machine{Cores: 2, MemoryMB: 4096, GoVersion: "go1.26", CPUModel: "cpu"},
		Dataset: Dataset{Establishments: 10, Resources: 30, StoreSizeBytes: 1000, JSONBytes: 500, IndexBytes: 400},
		Import:  Import{Resources: 25, Seconds: 70, ReimportSeconds: 10, RSSMB: 300},
		Results: []Result{
			{Name: "read_by_id", Status: StatusOK, Requests: 100, RPS: 50, P50ms: 1, P99ms: 2, BaselineRPS: 100, RatioToBaseline: 0.5, RSSMB: 100},
			{Name: "create", Status: StatusOK, Requests: 10, RPS: 5, BaselineRPS: 100, RatioToBaseline: 0.05, RSSMB: 600},
			{Name: "search_identifier", Status: StatusFailed, Requests: 10, Errors: 3, ErrorReasons: []string{"status 500 (3)"}},
			{Name: "search_near_10km", Status: StatusOK, P50ms: 12, P99ms: 150},
			{Name: "search_postal_code", Status: StatusOK, Concurrency: 16, P50ms: 60, P99ms: 150, RPS: 260, Latency: []LatencyRun{
				{Concurrency: 1, Status: StatusOK, Requests: 500, RPS: 180, P50ms: 5, P99ms: 40},
				{Concurrency: 2, Status: StatusOK, Requests: 900, RPS: 250, P50ms: 8, P99ms: 60}}},
			{Name: "search_name_prefix_accents", Status: StatusOK, Concurrency: 16, P50ms: 10, P99ms: 20, Latency: []LatencyRun{
				{Concurrency: 1, Status: StatusFailed, Requests: 5, Errors: 5, ErrorReasons: []string{"status 500 (5)"}}}},
			{Name: "lastupdated_delta", Status: StatusOK, Concurrency: 16, P50ms: 10, P99ms: 20, Latency: []LatencyRun{
				{Concurrency: 1, Status: StatusOK, Requests: 100, RPS: 200, P50ms: 4, P99ms: 9}}},
			{Name: "lastupdated_delta_include", Status: StatusOK, Concurrency: 16, P50ms: 14, P99ms: 30, Latency: []LatencyRun{
				{Concurrency: 1, Status: StatusOK, Requests: 100, RPS: 150, P50ms: 5, P99ms: 12}}},
			{Name: "history_paging_system", Status: StatusOK, ResourcesPerSec: 31000},
			{Name: "export", Status: StatusNotAvailable, Note: "GET /fhir/$export: 404"},
		},
	}
	r.Goals = EvaluateGoals(r)
	return r
}

// TestReportJSONShape checks the document against the shape issue 6 gives: machine, dataset,
// results with the named fields and types, goals.
func TestReportJSONShape(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.json")
	if err := sampleReport().WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	checkType(t, "format_version", doc["format_version"], "number")
	want := map[string]map[string]string{
		"machine": {"cores": "number", "memory_mb": "number", "go_version": "string", "cpu_model": "string"},
		"dataset": {"establishments": "number", "healthcare_services": "number", "resources": "number", "store_size_bytes": "number"},
		"import":  {"seconds": "number", "resources_per_s": "number", "rss_mb": "number", "reimport_seconds": "number", "raw_insert_seconds": "number"},
	}
	for obj, fields := range want {
		m, ok := doc[obj].(map[string]any)
		if !ok {
			t.Fatalf("%s is not an object: %v", obj, doc[obj])
		}
		for f, typ := range fields {
			checkType(t, obj+"."+f, m[f], typ)
		}
	}
	results, ok := doc["results"].([]any)
	if !ok || len(results) != 10 {
		t.Fatalf("results: %v", doc["results"])
	}
	for _, x := range results {
		m := x.(map[string]any)
		for f, typ := range map[string]string{"name": "string", "requests": "number", "errors": "number", "rps": "number",
			"p50_ms": "number", "p99_ms": "number", "baseline_rps": "number", "ratio_to_baseline": "number", "rss_mb": "number", "rss_anon_mb": "number", "status": "string"} {
			checkType(t, "results[]."+f, m[f], typ)
		}
	}
	lat := results[4].(map[string]any)["latency"].([]any)
	if len(lat) != 2 {
		t.Fatalf("latency runs: %v", lat)
	}
	for f, typ := range map[string]string{"concurrency": "number", "status": "string", "requests": "number", "rps": "number", "p50_ms": "number", "p99_ms": "number"} {
		checkType(t, "results[].latency[]."+f, lat[0].(map[string]any)[f], typ)
	}
	if _, ok := results[3].(map[string]any)["latency"]; ok {
		t.Errorf("a result without latency runs has a latency field (format 1 readers)")
	}
	goals, ok := doc["goals"].([]any)
	if !ok || len(goals) == 0 {
		t.Fatalf("goals: %v", doc["goals"])
	}
	for _, x := range goals {
		m := x.(map[string]any)
		for f, typ := range map[string]string{"goal": "string", "value": "number", "unit": "string", "target": "string", "status": "string", "met": "bool"} {
			checkType(t, "goals[]."+f, m[f], typ)
		}
	}
}

func checkType(t *testing.T, name string, v any, typ string) {
	t.Helper()
	ok := false
	switch typ {
	case "number":
		_, ok = v.(float64)
	case "string":
		_, ok = v.(string)
	case "bool":
		_, ok = v.(bool)
	}
	if !ok {
		t.Errorf("%s = %#v, want a %s", name, v, typ)
	}
}

func TestEvaluateGoals(t *testing.T) {
	got := map[string]Goal{}
	for _, g := range sampleReport().Goals {
		got[g.Goal] = g
	}
	for name, status := range map[string]string{
		"read_by_id throughput vs baseline":          "met",
		"create throughput vs baseline":              "not met",
		"search_identifier p50":                      "not measured", // failed scenarios are not averaged in
		"search_near_10km p50":                       "met",
		"search_near_10km p99":                       "not met", // no latency run: judged on its only run
		"search_postal_code p50":                     "met",     // judged on 1 client (5 ms), not 16 (60 ms)
		"search_postal_code p99":                     "met",     // 40 ms at 1 client, 150 at 16
		"search_name_prefix_accents p50":             "not measured",
		"_include of the organization adds (p50)":    "met", // +25 % at 1 client (+40 % at 16)
		"import of the national file":                "not met",
		"re-import of the unchanged file":            "met",
		"full system history paging":                 "met",
		"resident memory under load (whole process)": "not met", // 600 MB during create
		"index size vs stored JSON":                  "met",
	} {
		g, ok := got[name]
		if !ok || g.Status != status || g.Met != (status == "met") {
			t.Errorf("%s: %+v, want %s", name, g, status)
		}
	}
	if g := got["_include of the organization adds (p50)"]; g.Value != 25 || !strings.Contains(g.Note, "at 16 clients +40 %") {
		t.Errorf("_include extra %+v, want 25 %% at 1 client, 40 %% at 16 in the note", g)
	}
	if g := got["search_postal_code p50"]; g.Value != 5 || !strings.Contains(g.Note, "at 16 clients p50 60 ms, p99 150 ms, 260 rps") {
		t.Errorf("postal code p50 %+v: want the 1-client value, the 16-client run in the note", g)
	}
}

func TestMarkdownShowsFailuresAndMissingFeatures(t *testing.T) {
	var b bytes.Buffer
	if err := sampleReport().WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{
		"| search_identifier | **FAILED**: status 500 (3) | 10 | 3 |",
		"| export | not available yet: GET /fhir/$export: 404 |",
		"| read_by_id | ok | 100 | 0 | 50 | 1.00 | 2.00 | 100 | 0.500 | 100 (0) |",
		"| create throughput vs baseline | >= 0.1x | 0.05 x | not met |",
		"| search: p50 / p99 ms (rps) | 1 client | 2 clients | 16 clients |",
		"| search_postal_code | 5.00 / 40.00 (180) | 8.00 / 60.00 (250) | 60.00 / 150.00 (260) |",
		"| search_name_prefix_accents | **FAILED**: status 500 (5) | | 10.00 / 20.00 (0) |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}
