package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"time"

	"github.com/rorfhir/ror/internal/app"
	"github.com/rorfhir/ror/internal/config"
	"github.com/rorfhir/ror/store"
)

// Config is what a run does.
type Config struct {
	FinessFile     string
	NOSDir         string // NOS tables (J17, J19); default: ../nos next to the FINESS file's folder
	Quick          bool
	Establishments int // first N establishments of the file (0 = all)
	Services       int // HealthcareServices to generate
	Concurrency    int
	// LatencyConcurrency lists the client counts at which each search scenario is run again, after
	// its run at Concurrency, to measure latency without queueing (default: 1 and the core count).
	LatencyConcurrency []int
	Duration           time.Duration // per scenario
	// BaselineDuration is the run of the baseline after each scenario (default Duration/2: a
	// plain server reaches its steady throughput at once).
	BaselineDuration time.Duration
	CPUProfileDir    string    // one CPU profile per phase and scenario when set
	Only             []string  // scenario names to run (empty = all)
	Progress         io.Writer // progress lines (nil = none)
}

// QuickDefaults and FullDefaults are the two modes of the command.
func QuickDefaults() Config {
	return Config{Quick: true, Establishments: 10000, Services: 5000, Concurrency: 16, Duration: 3 * time.Second}
}

// FullDefaults is the national file, 50k services, 10 s per scenario.
func FullDefaults() Config {
	return Config{Services: 50000, Concurrency: 16, Duration: 10 * time.Second}
}

// DefaultLatencyConcurrency is 1 client, and as many clients as the machine has cores.
func DefaultLatencyConcurrency() []int {
	if n := runtime.NumCPU(); n > 1 {
		return []int{1, n}
	}
	return []int{1}
}

// runner carries a run's state.
type runner struct {
	cfg  Config
	dir  string
	app  *app.App
	env  *Env
	base *BaselineServer
	rep  *Report
}

func (r *runner) logf(format string, args ...any) {
	if r.cfg.Progress != nil {
		fmt.Fprintf(r.cfg.Progress, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
	}
}

// profiled runs fn under a CPU profile named after the phase, when profiles are asked for.
func (r *runner) profiled(name string, fn func() error) error {
	if r.cfg.CPUProfileDir == "" {
		return fn()
	}
	f, err := os.Create(filepath.Join(r.cfg.CPUProfileDir, name+".pprof"))
	if err != nil {
		return err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	defer pprof.StopCPUProfile()
	return fn()
}

// Run does the whole benchmark on a fresh temporary data directory and returns its report.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Concurrency <= 0 || cfg.Duration <= 0 || cfg.Services < 2 {
		return nil, errors.New("bench: concurrency, duration and services (>= 2) are required")
	}
	if cfg.BaselineDuration <= 0 {
		cfg.BaselineDuration = max(cfg.Duration/2, min(cfg.Duration, time.Second))
	}
	if cfg.LatencyConcurrency == nil {
		cfg.LatencyConcurrency = DefaultLatencyConcurrency()
	}
	if cfg.NOSDir == "" {
		cfg.NOSDir = filepath.Join(filepath.Dir(filepath.Dir(cfg.FinessFile)), "nos")
	}
	if cfg.CPUProfileDir != "" {
		if err := os.MkdirAll(cfg.CPUProfileDir, 0o755); err != nil {
			return nil, err
		}
	}
	codes, err := LoadCodes(cfg.NOSDir)
	if err != nil {
		return nil, fmt.Errorf("NOS codes: %w", err)
	}
	dir, err := os.MkdirTemp("", "rorbench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	mode := "full"
	if cfg.Quick {
		mode = "quick"
	}
	r := &runner{cfg: cfg, dir: dir, rep: &Report{
		FormatVersion: FormatVersion,
		Date:          time.Now().UTC().Format(time.RFC3339), Mode: mode, Machine: DescribeMachine(),
		Config: RunInfo{Concurrency: cfg.Concurrency, LatencyConcurrency: cfg.LatencyConcurrency, DurationSeconds: cfg.Duration.Seconds(), FinessFile: cfg.FinessFile,
			BaselineSeconds: cfg.BaselineDuration.Seconds(),
			Establishments:  cfg.Establishments,
			Server:          "in-process: internal/app (embedded SQLite store, service with its write checks, Echo API, JSON request log to io.Discard) on a loopback http.Server",
			RSS: "VmRSS of the benchmark process (server, load generator and baseline server together), highest value sampled every 100 ms (rss_anon_mb: its anonymous part, without the file pages of the store's mmap); " +
				"the heap left by the import is returned to the OS before the scenarios (debug.FreeOSMemory), as a server started on the loaded store would not hold it"},
	}}
	if err := r.load(ctx, codes); err != nil {
		return nil, err
	}
	defer r.app.Close(context.WithoutCancel(ctx))
	if err := r.serve(ctx); err != nil {
		return nil, err
	}
	r.rep.Goals = EvaluateGoals(r.rep)
	r.rep.Machine.LoadAvgTo = LoadAverage()
	return r.rep, nil
}

// load builds the server on the fresh directory, imports the FINESS file (twice, and as a raw
// insert) and generates the HealthcareServices.
func (r *runner) load(ctx context.Context, codes Codes) error {
	file := r.cfg.FinessFile
	if r.cfg.Establishments > 0 {
		file = filepath.Join(r.dir, "finess-subset.csv")
		if err := SubsetFile(r.cfg.FinessFile, file, r.cfg.Establishments); err != nil {
			return fmt.Errorf("subset of %s: %w", r.cfg.FinessFile, err)
		}
	}
	scfg := config.Defaults()
	scfg.DataDir = filepath.Join(r.dir, "data")
	a, err := app.Build(ctx, scfg, app.NewLogger(scfg, io.Discard))
	if err != nil {
		return err
	}
	r.app = a
	target := app.Writer{Service: a.Service, Store: a.Store}
	var imp, again ImportRun
	r.logf("importing %s", file)
	if err := r.profiled("import", func() error { imp, err = ImportFile(ctx, target, file); return err }); err != nil {
		return err
	}
	r.logf("import: %d resources in %v", imp.Resources(), imp.Elapsed.Round(time.Millisecond))
	if err := r.profiled("reimport", func() error { again, err = ImportFile(ctx, target, file); return err }); err != nil {
		return err
	}
	r.logf("re-import: %v (%d unchanged)", again.Elapsed.Round(time.Millisecond), again.Summary.Unchanged)

	raw, sites, err := r.rawInsert(ctx)
	if err != nil {
		return err
	}
	r.logf("raw PutMany of the same documents: %d in %v; %d sites", raw.Resources, raw.Elapsed.Round(time.Millisecond), len(sites))

	n := r.cfg.Services
	var genTime time.Duration
	var written int
	var size int64
	var since time.Time
	err = r.profiled("services", func() error {
		t0 := time.Now()
		w1, s1, err := GenerateServices(ctx, a.Service, sites, codes, 0, n/2)
		if err != nil {
			return err
		}
		since = time.Now().UTC().Truncate(time.Millisecond).Add(time.Millisecond)
		for time.Now().Before(since) {
			runtime.Gosched()
		}
		w2, s2, err := GenerateServices(ctx, a.Service, sites, codes, n/2, n)
		genTime, written, size = time.Since(t0), w1+w2, s1+s2
		return err
	})
	if err != nil {
		return fmt.Errorf("generate services: %w", err)
	}
	r.logf("generated %d HealthcareServices in %v", written, genTime.Round(time.Millisecond))

	sum := imp.Summary
	r.rep.Import = Import{
		Resources: imp.Resources(), Seconds: round(imp.Elapsed.Seconds(), 2), RSSMB: round(imp.PeakRSS, 1), CoresUsed: imp.Cores,
		ResourcesPerSecond: round(float64(imp.Resources())/imp.Elapsed.Seconds(), 0),
		ReimportSeconds:    round(again.Elapsed.Seconds(), 2), ReimportUnchanged: again.Summary.Unchanged,
		RawSeconds: round(raw.Elapsed.Seconds(), 2), RawResourcesPerSecond: round(float64(raw.Resources)/raw.Elapsed.Seconds(), 0),
		Problems: imp.Problems, ProblemSamples: imp.Samples, ServicesSeconds: round(genTime.Seconds(), 2),
		ServicesResourcesPerSecond: round(float64(written)/genTime.Seconds(), 0),
	}
	if raw.Elapsed > 0 {
		r.rep.Import.RatioToRaw = round(r.rep.Import.ResourcesPerSecond/r.rep.Import.RawResourcesPerSecond, 3)
	}
	dbPath := filepath.Join(scfg.DataDir, "ror.db")
	r.rep.Dataset = Dataset{
		Establishments: sum.EG, LegalEntities: sum.EJ, Locations: sum.Locations, HealthcareServices: written,
		Resources: sum.EG + sum.EJ + sum.Locations + written, StoreSizeBytes: DirSize(scfg.DataDir),
		JSONBytes: raw.Bytes + size, IndexBytes: IndexBytes(ctx, dbPath),
	}
	r.env = &Env{Service: a.Service, Sites: sites, Codes: codes, Services: written, DeltaSince: since, Concurrency: r.cfg.Concurrency}
	return nil
}

// rawInsert walks the imported store once: it collects the sites for the scenarios and writes
// the same documents into a second, empty store with store.PutMany (batches of 500, empty index).
func (r *runner) rawInsert(ctx context.Context) (RawInsert, []Site, error) {
	rcfg := config.Defaults()
	rcfg.DataDir = filepath.Join(r.dir, "raw")
	rawStore, _, err := app.OpenStore(ctx, rcfg)
	if err != nil {
		return RawInsert{}, nil, err
	}
	defer os.RemoveAll(rcfg.DataDir)
	defer rawStore.Close(context.WithoutCancel(ctx))
	ins := &RawInserter{St: rawStore, Batch: 500}
	var sites SiteCollector
	err = r.profiled("raw_insert", func() error {
		err := Walk(ctx, r.app.Store, func(vs []store.Version) error {
			sites.Add(vs)
			return ins.Add(ctx, vs)
		})
		if err == nil {
			err = ins.Flush(ctx)
		}
		return err
	})
	return ins.Run, sites.Sites(), err
}

// serve starts the server and the baseline on loopback and runs the scenarios.
func (r *runner) serve(ctx context.Context) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	sctx, cancel := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() { errc <- r.app.Serve(sctx, ln, 5*time.Second) }()
	defer func() {
		cancel()
		<-errc
	}()
	base, err := StartBaseline()
	if err != nil {
		return err
	}
	defer base.Close(context.WithoutCancel(ctx))
	r.base = base
	r.env.BaseURL = "http://" + ln.Addr().String()
	r.env.Client = NewClient(r.cfg.Concurrency, time.Minute)
	debug.FreeOSMemory()
	for _, sc := range Scenarios() {
		if len(r.cfg.Only) > 0 && !slices.Contains(r.cfg.Only, sc.Name) {
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		res := r.scenario(ctx, sc)
		r.logf("%-36s %-17s %7.0f rps  p50 %7.2f ms  p99 %8.2f ms  baseline %7.0f rps  errors %d %s",
			res.Name, res.Status, res.RPS, res.P50ms, res.P99ms, res.BaselineRPS, res.Errors, res.Note)
		for _, l := range res.Latency {
			r.logf("%-36s %-17s %7.0f rps  p50 %7.2f ms  p99 %8.2f ms  (%d %s)", "", l.Status, l.RPS, l.P50ms, l.P99ms, l.Concurrency, clients(l.Concurrency))
		}
		r.rep.Results = append(r.rep.Results, res)
	}
	return nil
}

// scenario prepares, runs and measures one scenario against the server, then the baseline.
func (r *runner) scenario(ctx context.Context, sc Scenario) Result {
	res := Result{Name: sc.Name, Concurrency: r.cfg.Concurrency}
	plan, err := sc.Prepare(ctx, r.env)
	if na, ok := isNotAvailable(err); ok {
		res.Status, res.Note = StatusNotAvailable, na.Reason
		return res
	}
	if err != nil {
		res.Status, res.Note = StatusFailed, err.Error()
		return res
	}
	if plan.Concurrency > 0 {
		res.Concurrency = plan.Concurrency
	}
	load := Load{BaseURL: r.env.BaseURL, Client: r.env.Client, Concurrency: res.Concurrency, Duration: r.cfg.Duration, NewWorker: plan.NewWorker}
	runtime.GC()
	rss := StartRSS(ctx)
	var st Stats
	cpu0 := CPUTime()
	_ = r.profiled(sc.Name, func() error { st = Drive(ctx, load); return nil })
	res.CoresUsed = coresUsed(cpu0, CPUTime(), st.Elapsed)
	res.RSSMB = round(rss.Stop(), 1)
	res.RSSAnonMB = round(rss.Anon(), 1)

	r.base.Set(plan.Baseline)
	server := load
	load.BaseURL, load.NoCheck, load.Status, load.Duration = r.base.URL, true, plan.Baseline.Status, r.cfg.BaselineDuration
	bst := Drive(ctx, load)

	res.Requests, res.Errors, res.RPS = st.Requests, st.Errors, round(st.RPS(), 1)
	res.P50ms, res.P99ms = ms(st.Hist.Quantile(0.5)), ms(st.Hist.Quantile(0.99))
	res.BaselineRPS, res.BaselineP50ms, res.BaselineErrors = round(bst.RPS(), 1), ms(bst.Hist.Quantile(0.5)), bst.Errors
	if bst.RPS() > 0 {
		res.RatioToBaseline = round(st.RPS()/bst.RPS(), 3)
	}
	if plan.Items != "" {
		res.ResourcesPerSec = round(st.ItemsPerSecond(), 0)
	}
	if st.Requests > 0 {
		res.ResponseBytesAvg = round(float64(st.BytesIn)/float64(st.Requests), 0)
	}
	res.ErrorReasons = st.TopReasons()
	if sc.Search && plan.Concurrency == 0 {
		for _, n := range r.cfg.LatencyConcurrency {
			if n > 0 && n != res.Concurrency {
				res.Latency = append(res.Latency, latencyRun(ctx, server, n, r.cfg.Duration))
			}
		}
	}
	res.Status = StatusOK
	switch {
	case st.Requests == 0:
		res.Status, res.Note = StatusFailed, "no request completed"
	case st.Errors > 0:
		res.Status = StatusFailed
	case bst.Errors > 0:
		res.Note = fmt.Sprintf("baseline had %d errors", bst.Errors)
	}
	return res
}

// latencyRun drives the server's load again with n clients for d.
func latencyRun(ctx context.Context, l Load, n int, d time.Duration) LatencyRun {
	l.Concurrency, l.Duration = n, d
	runtime.GC()
	cpu0 := CPUTime()
	st := Drive(ctx, l)
	out := LatencyRun{Concurrency: n, Status: StatusOK, Requests: st.Requests, Errors: st.Errors, RPS: round(st.RPS(), 1),
		P50ms: ms(st.Hist.Quantile(0.5)), P99ms: ms(st.Hist.Quantile(0.99)), CoresUsed: coresUsed(cpu0, CPUTime(), st.Elapsed),
		ErrorReasons: st.TopReasons()}
	switch {
	case st.Requests == 0:
		out.Status = StatusFailed
	case st.Errors > 0:
		out.Status = StatusFailed
	}
	return out
}
