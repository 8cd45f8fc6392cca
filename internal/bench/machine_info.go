package bench

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Machine describes where the benchmark ran.
type Machine struct {
	Cores       int     `json:"cores"`
	MemoryMB    int64   `json:"memory_mb"`
	GoVersion   string  `json:"go_version"`
	CPUModel    string  `json:"cpu_model"`
	OS          string  `json:"os"`
	Arch        string  `json:"arch"`
	LoadAvgFrom float64 `json:"load_avg_start"` // 1-minute load average when the run started
	LoadAvgTo   float64 `json:"load_avg_end"`   // and when it ended (other work disturbs the numbers)
}

// DescribeMachine reads the machine's description (Linux /proc; fields stay empty elsewhere).
func DescribeMachine() Machine {
	m := Machine{Cores: runtime.NumCPU(), GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		m.CPUModel = procField(b, "model name")
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		m.MemoryMB = procKiB(procField(b, "MemTotal")) / 1024
	}
	m.LoadAvgFrom = LoadAverage()
	return m
}

// LoadAverage is the 1-minute load average (0 when unknown).
func LoadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}

// procField returns the value of the first "key: value" line of a /proc file.
func procField(b []byte, key string) string {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// procKiB parses "123456 kB".
func procKiB(s string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(s, "kB")), 10, 64)
	return n
}

// Memory reads this process's resident memory in MB: all of it (VmRSS) and its anonymous part
// (RssAnon: Go heap, SQLite page caches...; the rest is file pages, mostly the store's mmap).
func Memory() (rssMB, anonMB float64) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	return float64(procKiB(procField(b, "VmRSS"))) / 1024, float64(procKiB(procField(b, "RssAnon"))) / 1024
}

// RSSSampler records the highest VmRSS (and RssAnon) seen while it runs, sampled every 100 ms:
// the resident memory under load, unlike VmHWM which never goes down between phases.
type RSSSampler struct {
	mu     sync.Mutex
	max    float64
	anon   float64
	cancel context.CancelFunc
	done   chan struct{}
}

// StartRSS starts sampling.
func StartRSS(ctx context.Context) *RSSSampler {
	ctx, cancel := context.WithCancel(ctx)
	s := &RSSSampler{cancel: cancel, done: make(chan struct{})}
	s.sample()
	go func() {
		defer close(s.done)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.sample()
			}
		}
	}()
	return s
}

func (s *RSSSampler) sample() {
	rss, anon := Memory()
	s.mu.Lock()
	s.max, s.anon = max(s.max, rss), max(s.anon, anon)
	s.mu.Unlock()
}

// Stop ends sampling and returns the highest resident memory seen, in MB.
func (s *RSSSampler) Stop() float64 {
	s.cancel()
	<-s.done
	s.sample()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.max
}

// Anon is the highest RssAnon seen, in MB (after Stop).
func (s *RSSSampler) Anon() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.anon
}

// CPUTime is the CPU time (user + system) this process has used so far.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// coresUsed is the average number of cores the process used between two CPUTime readings over
// wall: well under the machine's cores means other work took the CPU (disturbed numbers).
func coresUsed(cpu0, cpu1 time.Duration, wall time.Duration) float64 {
	if wall <= 0 {
		return 0
	}
	return round(float64(cpu1-cpu0)/float64(wall), 2)
}
