package bench

import (
	"encoding/json"
	"math"
	"os"
	"time"
)

// Statuses of a Result.
const (
	StatusOK           = "ok"
	StatusFailed       = "failed"
	StatusNotAvailable = "not available yet"
)

// FormatVersion is the version of the JSON report. 2 added Result.Latency and
// RunInfo.LatencyConcurrency (the fields of version 1, absent format_version, are unchanged).
const FormatVersion = 2

// Report is the JSON document of a run (--out), shaped as issue 6 asks.
type Report struct {
	FormatVersion int      `json:"format_version"`
	Date          string   `json:"date"` // RFC 3339, UTC
	Mode          string   `json:"mode"` // "quick" or "full"
	Config        RunInfo  `json:"config"`
	Machine       Machine  `json:"machine"`
	Dataset       Dataset  `json:"dataset"`
	Import        Import   `json:"import"`
	Results       []Result `json:"results"`
	Goals         []Goal   `json:"goals"`
}

// RunInfo is how the run was made.
type RunInfo struct {
	Concurrency int `json:"concurrency"`
	// LatencyConcurrency lists the client counts of the latency runs of the searches
	// (Result.Latency), each as long as a scenario.
	LatencyConcurrency []int   `json:"latency_concurrency,omitempty"`
	DurationSeconds    float64 `json:"duration_s"`
	BaselineSeconds    float64 `json:"baseline_duration_s"`
	FinessFile         string  `json:"finess_file"`
	Establishments     int     `json:"establishments_limit"` // 0 = the whole file
	Server             string  `json:"server"`
	RSS                string  `json:"rss"`
}

// Dataset is what the store held when the scenarios started.
type Dataset struct {
	Establishments     int   `json:"establishments"` // FINESS sites (EG)
	LegalEntities      int   `json:"legal_entities"` // FINESS EJ
	Locations          int   `json:"locations"`
	HealthcareServices int   `json:"healthcare_services"`
	Resources          int   `json:"resources"`
	StoreSizeBytes     int64 `json:"store_size_bytes"` // files of the data directory
	JSONBytes          int64 `json:"json_bytes"`       // total size of the current resources' JSON
	// IndexBytes is the size of the search index (tables and SQL indexes of the extracted values,
	// SQLite dbstat); 0 when it could not be measured.
	IndexBytes int64 `json:"index_bytes"`
}

// Import is the timing of the FINESS import and of its baselines.
type Import struct {
	Resources          int     `json:"resources"`
	Seconds            float64 `json:"seconds"`
	ResourcesPerSecond float64 `json:"resources_per_s"`
	RSSMB              float64 `json:"rss_mb"` // highest resident memory during the import
	CoresUsed          float64 `json:"cores_used"`
	ReimportSeconds    float64 `json:"reimport_seconds"`
	ReimportUnchanged  int     `json:"reimport_unchanged"`
	// Raw insert: the same JSON documents written with store.PutMany, no FHIR logic, empty index.
	RawSeconds            float64  `json:"raw_insert_seconds"`
	RawResourcesPerSecond float64  `json:"raw_insert_resources_per_s"`
	RatioToRaw            float64  `json:"ratio_to_raw_insert"` // import throughput / raw insert throughput
	Problems              int      `json:"problems"`            // lines skipped + resources refused
	ProblemSamples        []string `json:"problem_samples,omitempty"`
	// Generation of the HealthcareServices through service.Upsert.
	ServicesSeconds            float64 `json:"services_seconds"`
	ServicesResourcesPerSecond float64 `json:"services_resources_per_s"`
}

// Result is one scenario's measure.
type Result struct {
	Name            string  `json:"name"`
	Status          string  `json:"status"`
	Requests        int64   `json:"requests"`
	Errors          int64   `json:"errors"`
	RPS             float64 `json:"rps"`
	P50ms           float64 `json:"p50_ms"`
	P99ms           float64 `json:"p99_ms"`
	BaselineRPS     float64 `json:"baseline_rps"`
	RatioToBaseline float64 `json:"ratio_to_baseline"`
	RSSMB           float64 `json:"rss_mb"`
	RSSAnonMB       float64 `json:"rss_anon_mb"` // anonymous part of rss_mb (without the store's file pages)
	ResourcesPerSec float64 `json:"resources_per_s,omitempty"`
	Concurrency     int     `json:"concurrency"`
	// CoresUsed is the process's CPU time over the scenario's wall time (server and load generator
	// together): well under the machine's cores means other work on the machine took CPU.
	CoresUsed        float64  `json:"cores_used"`
	BaselineP50ms    float64  `json:"baseline_p50_ms"`
	Note             string   `json:"note,omitempty"`
	ErrorReasons     []string `json:"error_reasons,omitempty"`
	BaselineErrors   int64    `json:"baseline_errors,omitempty"`
	ResponseBytesAvg float64  `json:"response_bytes_avg,omitempty"`
	// Latency: the same scenario driven by fewer closed-loop clients (searches only; 1 and the
	// core count), after the run above. The top-level rps, p50_ms and p99_ms stay those of
	// Concurrency clients: the throughput view, mostly queueing when clients outnumber cores.
	Latency []LatencyRun `json:"latency,omitempty"`
}

// LatencyRun is one run of a scenario at a given number of clients.
type LatencyRun struct {
	Concurrency int     `json:"concurrency"`
	Status      string  `json:"status"`
	Requests    int64   `json:"requests"`
	Errors      int64   `json:"errors"`
	RPS         float64 `json:"rps"`
	P50ms       float64 `json:"p50_ms"`
	P99ms       float64 `json:"p99_ms"`
	// CoresUsed is the process's CPU time over the run's wall time.
	CoresUsed    float64  `json:"cores_used"`
	ErrorReasons []string `json:"error_reasons,omitempty"`
}

// LatencyAt returns the latency run of x at concurrency n, if any.
func (x Result) LatencyAt(n int) (LatencyRun, bool) {
	for _, l := range x.Latency {
		if l.Concurrency == n {
			return l, true
		}
	}
	return LatencyRun{}, false
}

// Goal is one goal of issue 6 and where the run stands.
type Goal struct {
	Goal   string  `json:"goal"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	Target string  `json:"target"`
	Status string  `json:"status"` // "met", "not met", "not measured"
	Met    bool    `json:"met"`
	Note   string  `json:"note,omitempty"`
}

// WriteJSON writes r to path, indented.
func (r *Report) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// ms converts a duration to milliseconds with two decimals.
func ms(d time.Duration) float64 { return round(float64(d)/float64(time.Millisecond), 2) }

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}
