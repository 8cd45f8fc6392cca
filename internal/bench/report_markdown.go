package bench

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// WriteMarkdown writes the report as Markdown tables: dataset and import, scenarios, goals.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	m := r.Machine
	fmt.Fprintf(&b, "Run %s (%s mode), %d cores %s, %d MB, %s; load average %.2f at start, %.2f at end; concurrency %d, %g s per scenario, %g s per baseline.\n\n",
		r.Date, r.Mode, m.Cores, m.CPUModel, m.MemoryMB, m.GoVersion, m.LoadAvgFrom, m.LoadAvgTo, r.Config.Concurrency, r.Config.DurationSeconds, r.Config.BaselineSeconds)
	if c := r.meanCores(); c > 0 && c < float64(m.Cores)/2 {
		fmt.Fprintf(&b, "**Disturbed run**: the process used %.2f cores on average during the scenarios (of %d): other work on the machine took the CPU; absolute numbers are low, ratios to the baseline (measured in the same conditions) are the better guide.\n\n", c, m.Cores)
	}
	d, im := r.Dataset, r.Import
	fmt.Fprintf(&b, "Dataset: %d establishments, %d legal entities, %d locations, %d HealthcareServices (%d resources); store %.1f MB, JSON %.1f MB, index %.1f MB.\n\n",
		d.Establishments, d.LegalEntities, d.Locations, d.HealthcareServices, d.Resources, mb(d.StoreSizeBytes), mb(d.JSONBytes), mb(d.IndexBytes))
	fmt.Fprintf(&b, "| import | value |\n|---|---|\n")
	fmt.Fprintf(&b, "| FINESS import | %d resources in %.1f s (%.0f resources/s), peak RSS %.0f MB, %.2f cores used |\n", im.Resources, im.Seconds, im.ResourcesPerSecond, im.RSSMB, im.CoresUsed)
	if im.Problems > 0 {
		fmt.Fprintf(&b, "| lines skipped or resources refused | %d: %s |\n", im.Problems, escape(strings.Join(im.ProblemSamples, "; ")))
	}
	fmt.Fprintf(&b, "| re-import, unchanged file | %.1f s (%d unchanged) |\n", im.ReimportSeconds, im.ReimportUnchanged)
	fmt.Fprintf(&b, "| raw store.PutMany of the same JSON (no FHIR logic, empty index) | %.1f s (%.0f resources/s); import is %.2fx of it |\n", im.RawSeconds, im.RawResourcesPerSecond, im.RatioToRaw)
	fmt.Fprintf(&b, "| HealthcareServices through service.Upsert | %d in %.1f s (%.0f resources/s) |\n\n", d.HealthcareServices, im.ServicesSeconds, im.ServicesResourcesPerSecond)

	fmt.Fprintf(&b, "| scenario | status | requests | errors | rps | p50 ms | p99 ms | baseline rps | ratio | RSS MB (anon) | resources/s | cores used |\n")
	fmt.Fprintf(&b, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, x := range r.Results {
		if x.Status == StatusNotAvailable {
			fmt.Fprintf(&b, "| %s | %s: %s | | | | | | | | | | |\n", x.Name, x.Status, escape(x.Note))
			continue
		}
		status := x.Status
		if x.Status == StatusFailed {
			status = "**FAILED**"
			if len(x.ErrorReasons) > 0 {
				status += ": " + escape(x.ErrorReasons[0])
			} else if x.Note != "" {
				status += ": " + escape(x.Note)
			}
		}
		items := ""
		if x.ResourcesPerSec > 0 {
			items = fmt.Sprintf("%.0f", x.ResourcesPerSec)
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %.0f | %.2f | %.2f | %.0f | %.3f | %.0f (%.0f) | %s | %.2f |\n",
			x.Name, status, x.Requests, x.Errors, x.RPS, x.P50ms, x.P99ms, x.BaselineRPS, x.RatioToBaseline, x.RSSMB, x.RSSAnonMB, items, x.CoresUsed)
	}
	r.writeLatency(&b)
	fmt.Fprintf(&b, "\n| goal | target | value | status |\n|---|---|---:|---|\n")
	for _, g := range r.Goals {
		st := g.Status
		if g.Note != "" {
			st += " (" + escape(g.Note) + ")"
		}
		fmt.Fprintf(&b, "| %s | %s | %s %s | %s |\n", g.Goal, g.Target, trimFloat(g.Value), g.Unit, st)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// meanCores is the average cores used over the measured scenarios.
func (r *Report) meanCores() float64 {
	sum, n := 0.0, 0
	for _, x := range r.Results {
		if x.Status == StatusOK {
			sum += x.CoresUsed
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

func escape(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ") }

func trimFloat(v float64) string {
	s := fmt.Sprintf("%.3f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "" || s == "-" {
		return "0"
	}
	return s
}

// writeLatency writes the searches at each client count side by side: the latency of one query
// (1 client, then one per core) next to the throughput run (its p50 is mostly queueing when
// clients outnumber cores).
func (r *Report) writeLatency(b *strings.Builder) {
	var levels []int
	for _, x := range r.Results {
		for _, l := range x.Latency {
			if !slices.Contains(levels, l.Concurrency) {
				levels = append(levels, l.Concurrency)
			}
		}
	}
	if len(levels) == 0 {
		return
	}
	slices.Sort(levels)
	fmt.Fprintf(b, "\n| search: p50 / p99 ms (rps) |")
	for _, n := range levels {
		fmt.Fprintf(b, " %d %s |", n, clients(n))
	}
	fmt.Fprintf(b, " %d %s |\n|---|", r.Config.Concurrency, clients(r.Config.Concurrency))
	fmt.Fprintf(b, "%s\n", strings.Repeat("---:|", len(levels)+1))
	for _, x := range r.Results {
		if len(x.Latency) == 0 {
			continue
		}
		fmt.Fprintf(b, "| %s |", x.Name)
		for _, n := range levels {
			l, ok := x.LatencyAt(n)
			switch {
			case !ok:
				fmt.Fprintf(b, " |")
			case l.Status != StatusOK:
				reason := ""
				if len(l.ErrorReasons) > 0 {
					reason = ": " + escape(l.ErrorReasons[0])
				}
				fmt.Fprintf(b, " **%s**%s |", strings.ToUpper(l.Status), reason)
			default:
				fmt.Fprintf(b, " %.2f / %.2f (%.0f) |", l.P50ms, l.P99ms, l.RPS)
			}
		}
		fmt.Fprintf(b, " %.2f / %.2f (%.0f) |\n", x.P50ms, x.P99ms, x.RPS)
	}
}

func clients(n int) string {
	if n == 1 {
		return "client"
	}
	return "clients"
}
