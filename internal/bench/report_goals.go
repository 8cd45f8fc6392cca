package bench

import "fmt"

// Goal thresholds of issue 6 (and of issues 2, 3 and 4 it gathers).
const (
	goalReadRatio    = 0.4
	goalCreateRatio  = 0.1
	goalSearchP50    = 20.0  // ms
	goalSearchP99    = 100.0 // ms
	goalIncludeExtra = 0.5   // _include adds at most 50 % to p50
	goalImportS      = 60.0
	goalReimportS    = 30.0
	goalImportRSSMB  = 1024.0
	goalHistoryRPS   = 30000.0
	goalRSSMB        = 512.0
	goalIndexRatio   = 1.0
)

// EvaluateGoals says, for each goal, where the report stands.
func EvaluateGoals(r *Report) []Goal {
	res := map[string]Result{}
	for _, x := range r.Results {
		res[x.Name] = x
	}
	var goals []Goal
	add := func(g Goal, measured, met bool) {
		switch {
		case !measured:
			g.Status = "not measured"
		case met:
			g.Status, g.Met = "met", true
		default:
			g.Status = "not met"
		}
		goals = append(goals, g)
	}
	ok := func(name string) (Result, bool, string) {
		x, found := res[name]
		switch {
		case !found:
			return x, false, "scenario not run"
		case x.Status != StatusOK:
			return x, false, "scenario " + x.Status
		}
		return x, true, ""
	}
	for _, c := range []struct {
		name string
		min  float64
	}{{"read_by_id", goalReadRatio}, {"create", goalCreateRatio}} {
		x, m, note := ok(c.name)
		add(Goal{Goal: c.name + " throughput vs baseline", Value: x.RatioToBaseline, Unit: "x", Target: fmt.Sprintf(">= %.1fx", c.min), Note: note},
			m, x.RatioToBaseline >= c.min)
	}
	// The latency goals are judged on one client (the latency of a query, not its queueing behind
	// the other clients); the run at Config.Concurrency stays in the note, as the throughput view.
	// A report without a one-client run (format 1) is judged on its only run.
	latency := func(name string) (p50, p99 float64, measured bool, note string) {
		x, m, note := ok(name)
		if !m {
			return 0, 0, false, note
		}
		if len(x.Latency) == 0 {
			return x.P50ms, x.P99ms, true, fmt.Sprintf("%d clients", x.Concurrency)
		}
		l, found := x.LatencyAt(1)
		if !found || l.Status != StatusOK {
			return 0, 0, false, "no successful run at 1 client"
		}
		return l.P50ms, l.P99ms, true, fmt.Sprintf("1 client; at %d clients p50 %s ms, p99 %s ms, %s rps",
			x.Concurrency, trimFloat(x.P50ms), trimFloat(x.P99ms), trimFloat(x.RPS))
	}
	for _, x := range r.Results {
		if !isSearch(x.Name) {
			continue
		}
		p50, p99, m, note := latency(x.Name)
		add(Goal{Goal: x.Name + " p50", Value: p50, Unit: "ms", Target: fmt.Sprintf("<= %.0f ms", goalSearchP50), Note: note}, m, p50 <= goalSearchP50)
		add(Goal{Goal: x.Name + " p99", Value: p99, Unit: "ms", Target: fmt.Sprintf("<= %.0f ms", goalSearchP99), Note: note}, m, p99 <= goalSearchP99)
	}
	base, _, m1, n1 := latency("lastupdated_delta")
	inc, _, m2, n2 := latency("lastupdated_delta_include")
	extra := 0.0
	if base > 0 {
		extra = round(inc/base-1, 3)
	}
	note := ""
	switch {
	case !m1:
		note = n1
	case !m2:
		note = n2
	default:
		note = fmt.Sprintf("p50 %s vs %s ms", trimFloat(inc), trimFloat(base))
		if b, i := find(r.Results, "lastupdated_delta"), find(r.Results, "lastupdated_delta_include"); len(b.Latency) > 0 && b.P50ms > 0 {
			note = fmt.Sprintf("1 client, %s; at %d clients %s %%", note, b.Concurrency, signed(round(i.P50ms/b.P50ms-1, 3)*100))
		}
	}
	add(Goal{Goal: "_include of the organization adds (p50)", Value: extra * 100, Unit: "%", Target: "<= 50 %", Note: note}, m1 && m2, extra <= goalIncludeExtra)

	quick := ""
	if r.Config.Establishments > 0 {
		quick = fmt.Sprintf("subset of %d establishments, not the national file", r.Config.Establishments)
	}
	im := r.Import
	add(Goal{Goal: "import of the national file", Value: im.Seconds, Unit: "s", Target: fmt.Sprintf("<= %.0f s", goalImportS), Note: quick}, im.Resources > 0, im.Seconds <= goalImportS)
	add(Goal{Goal: "re-import of the unchanged file", Value: im.ReimportSeconds, Unit: "s", Target: fmt.Sprintf("<= %.0f s", goalReimportS), Note: quick}, im.Resources > 0, im.ReimportSeconds <= goalReimportS)
	add(Goal{Goal: "resident memory during the import", Value: im.RSSMB, Unit: "MB", Target: fmt.Sprintf("<= %.0f MB", goalImportRSSMB), Note: quick}, im.RSSMB > 0, im.RSSMB <= goalImportRSSMB)

	h, m, note := ok("history_paging_system")
	add(Goal{Goal: "full system history paging", Value: h.ResourcesPerSec, Unit: "resources/s", Target: fmt.Sprintf(">= %.0f resources/s", goalHistoryRPS), Note: note}, m, h.ResourcesPerSec >= goalHistoryRPS)

	maxRSS, maxAnon := 0.0, 0.0
	for _, x := range r.Results {
		if x.Status != StatusNotAvailable {
			maxRSS, maxAnon = max(maxRSS, x.RSSMB), max(maxAnon, x.RSSAnonMB)
		}
	}
	add(Goal{Goal: "resident memory under load (whole process)", Value: maxRSS, Unit: "MB", Target: fmt.Sprintf("<= %.0f MB", goalRSSMB),
		Note: fmt.Sprintf("of which %.0f MB anonymous, the rest file pages of the store's mmap", maxAnon)}, maxRSS > 0, maxRSS <= goalRSSMB)

	ratio := 0.0
	if r.Dataset.JSONBytes > 0 {
		ratio = round(float64(r.Dataset.IndexBytes)/float64(r.Dataset.JSONBytes), 3)
	}
	add(Goal{Goal: "index size vs stored JSON", Value: ratio, Unit: "x", Target: "<= 1x"}, r.Dataset.IndexBytes > 0, ratio <= goalIndexRatio)
	return goals
}

// isSearch reports whether a scenario is a typical search (the p50/p99 goals apply).
func isSearch(name string) bool {
	for _, s := range Scenarios() {
		if s.Name == name {
			return s.Search
		}
	}
	return false
}

// find returns the result of the scenario name (zero when absent).
func find(rs []Result, name string) Result {
	for _, r := range rs {
		if r.Name == name {
			return r
		}
	}
	return Result{}
}

// signed is trimFloat with a + before a positive value.
func signed(v float64) string {
	if v >= 0 {
		return "+" + trimFloat(v)
	}
	return trimFloat(v)
}
