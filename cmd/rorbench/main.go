// Command rorbench is the benchmark suite of the ror server (issue 6): it imports the national
// FINESS file into a fresh embedded store, generates ROR HealthcareServices, serves the real API on
// loopback and drives every scenario with a closed-loop load generator next to a plain net/http
// baseline, then prints a Markdown table and writes a JSON report. See BENCHMARKS.md.
//
//	go run ./cmd/rorbench [--quick] [--out bench-results.json] [--finess FILE] [--concurrency 16] [--latency 1,2] [--duration 10s]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rorfhir/ror/internal/bench"
)

// defaultFiness is the national file, relative to the repository root.
const defaultFiness = "../shared/finess/etalab-cs1100507-stock-20210108-0427.csv"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "rorbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rorbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	quick := fs.Bool("quick", false, "quick mode: 10k establishments, 5k services, 3 s per scenario (under 3 minutes)")
	out := fs.String("out", "bench-results.json", "JSON report path")
	finess := fs.String("finess", "", "FINESS extraction to import (default: "+defaultFiness+" from the repository root)")
	nos := fs.String("nos", "", "NOS tables directory (default: the nos folder next to the FINESS file's folder)")
	conc := fs.Int("concurrency", 16, "closed-loop workers per scenario")
	dur := fs.Duration("duration", 0, "duration of each scenario, and of its baseline (default 10s, 3s with --quick)")
	est := fs.Int("establishments", -1, "import only the first N establishments of the file (default: all, 10000 with --quick)")
	services := fs.Int("services", 0, "HealthcareServices to generate (default 50000, 5000 with --quick)")
	prof := fs.String("cpuprofile", "", "directory receiving one CPU profile per phase and scenario (<name>.pprof)")
	only := fs.String("only", "", "comma-separated scenario names to run (default: all)")
	latency := fs.String("latency", "", "comma-separated client counts of the latency runs of each search, after its run at --concurrency (default: 1 and the core count; \"none\": no latency run)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg := bench.FullDefaults()
	if *quick {
		cfg = bench.QuickDefaults()
	}
	cfg.FinessFile, cfg.NOSDir, cfg.Concurrency, cfg.CPUProfileDir = *finess, *nos, *conc, *prof
	if cfg.FinessFile == "" {
		root, err := repoRoot()
		if err != nil {
			return err
		}
		cfg.FinessFile = filepath.Join(root, defaultFiness)
	}
	if *dur > 0 {
		cfg.Duration = *dur
	}
	if *est >= 0 {
		cfg.Establishments = *est
	}
	if *services > 0 {
		cfg.Services = *services
	}
	if *only != "" {
		cfg.Only = strings.Split(*only, ",")
	}
	if *latency != "" {
		levels, err := parseLatency(*latency)
		if err != nil {
			return err
		}
		cfg.LatencyConcurrency = levels
	}
	cfg.Progress = stderr
	start := time.Now()
	rep, err := bench.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if err := rep.WriteMarkdown(stdout); err != nil {
		return err
	}
	if err := rep.WriteJSON(*out); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s; total %v\n", *out, time.Since(start).Round(time.Second))
	return nil
}

// parseLatency reads --latency: client counts separated by commas, or "none".
func parseLatency(v string) ([]int, error) {
	if v == "none" {
		return []int{}, nil
	}
	var out []int
	for f := range strings.SplitSeq(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("--latency %q: want client counts such as 1,2, or none", v)
		}
		out = append(out, n)
	}
	return out, nil
}

// repoRoot is the nearest directory above the working directory holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory: give --finess")
		}
		dir = parent
	}
}
