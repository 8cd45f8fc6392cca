package progress

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestPlainLinesAtInterval(t *testing.T) {
	clk := &fakeClock{t: time.Date(2021, 1, 8, 0, 0, 0, 0, time.UTC)}
	var out bytes.Buffer
	b := New(&out, Options{Label: "import", Total: 1000, Unit: "resources", Now: clk.now, Interval: 5 * time.Second})
	for i := 1; i <= 10; i++ {
		clk.t = clk.t.Add(time.Second)
		b.Update(int64(i*50), int64(i*100))
	}
	b.Finish()
	b.Finish() // idempotent
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 { // at 5 s, 10 s, final
		t.Fatalf("got %d lines:\n%s", len(lines), out.String())
	}
	if want := "import  25% 500 resources, 100 resources/s, elapsed 5s, ETA 15s"; lines[0] != want {
		t.Errorf("line 0 = %q, want %q", lines[0], want)
	}
	if want := "import 100% 1000 resources, 100 resources/s, elapsed 10s"; lines[2] != want {
		t.Errorf("final = %q, want %q", lines[2], want)
	}
	if strings.Contains(out.String(), "\r") {
		t.Error("plain output must not contain carriage returns")
	}
}

func TestTTYRedrawsInPlace(t *testing.T) {
	clk := &fakeClock{t: time.Date(2021, 1, 8, 0, 0, 0, 0, time.UTC)}
	var out bytes.Buffer
	b := New(&out, Options{Total: 100, TTY: true, Now: clk.now})
	clk.t = clk.t.Add(time.Second)
	b.Update(50, 5)
	b.Update(60, 6) // within the redraw period: nothing written
	b.Finish()
	s := out.String()
	if got := strings.Count(s, "\r"); got != 2 {
		t.Errorf("%d redraws, want 2: %q", got, s)
	}
	if !strings.Contains(s, "[===============               ]  50%") || !strings.HasSuffix(s, "\n") {
		t.Errorf("unexpected bar %q", s)
	}
}

func TestUnknownTotalAndLongDurations(t *testing.T) {
	clk := &fakeClock{t: time.Date(2021, 1, 8, 0, 0, 0, 0, time.UTC)}
	b := New(&bytes.Buffer{}, Options{Now: clk.now})
	b.Update(0, 7)
	clk.t = clk.t.Add(time.Hour + 2*time.Minute + 3*time.Second)
	if got, want := b.Line(clk.t), "7 items, 0 items/s, elapsed 1h02m03s"; got != want {
		t.Errorf("Line = %q, want %q", got, want)
	}
}

func TestCountingReader(t *testing.T) {
	c := &CountingReader{R: strings.NewReader("hello world")}
	buf := make([]byte, 4)
	for {
		if _, err := c.Read(buf); err != nil {
			break
		}
	}
	if c.N != 11 {
		t.Errorf("N = %d", c.N)
	}
}

func TestIsTerminalOnRegularFile(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "x")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(f) {
		t.Error("a regular file is not a terminal")
	}
}
