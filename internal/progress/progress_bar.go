// Package progress reports the advance of a long batch job (ror import finess, ror load): on a
// terminal, one bar redrawn in place with percentage, count, rate and ETA; elsewhere (logs, CI,
// pipes), a plain line at a fixed interval. It has no goroutine: the job calls Update from its own
// loop and the bar throttles its output.
//
// This package must not import any other package of the project.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Defaults of Options.
const (
	DefaultRedraw   = 200 * time.Millisecond // terminal redraw period
	DefaultInterval = 5 * time.Second        // period of the plain lines
	barWidth        = 30
)

// Options describe a bar. Zero values take the defaults.
type Options struct {
	Label string // what is being done, e.g. "import finess"
	// Total is the amount of work in the unit of Update's done argument (bytes of input, usually);
	// 0 when unknown (no percentage, no ETA).
	Total int64
	// Unit names what Update's count counts ("resources"); it is shown with its rate.
	Unit string
	// TTY selects the redrawn bar; false gives plain periodic lines. See IsTerminal.
	TTY bool
	// Redraw is the minimum time between two terminal redraws (default DefaultRedraw).
	Redraw time.Duration
	// Interval is the time between two plain lines (default DefaultInterval).
	Interval time.Duration
	// Now is the clock (default time.Now); tests give a fake one.
	Now func() time.Time
}

// Bar is one progress display. It is not safe for concurrent use.
type Bar struct {
	w        io.Writer
	o        Options
	start    time.Time
	last     time.Time
	done     int64
	count    int64
	drawn    bool
	finished bool
}

// New starts a bar writing to w.
func New(w io.Writer, o Options) *Bar {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Redraw <= 0 {
		o.Redraw = DefaultRedraw
	}
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.Unit == "" {
		o.Unit = "items"
	}
	now := o.Now()
	return &Bar{w: w, o: o, start: now, last: now}
}

// IsTerminal reports whether f is a character device (a terminal). It is the usual check of
// command-line tools without a terminal library; /dev/null also counts, which is harmless.
func IsTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Update records the progress: done units of work out of Total, count items processed so far.
// It writes only when the redraw period (terminal) or the interval (plain) has elapsed.
func (b *Bar) Update(done, count int64) {
	b.done, b.count = done, count
	now := b.o.Now()
	period := b.o.Interval
	if b.o.TTY {
		period = b.o.Redraw
	}
	if now.Sub(b.last) < period {
		return
	}
	b.last = now
	b.write(now, false)
}

// Finish writes the final state once (a newline ends the terminal bar).
func (b *Bar) Finish() {
	if b.finished {
		return
	}
	b.finished = true
	if b.o.Total > 0 && b.done < b.o.Total {
		b.done = b.o.Total
	}
	b.write(b.o.Now(), true)
}

func (b *Bar) write(now time.Time, final bool) {
	line := b.Line(now)
	if b.o.TTY {
		end := ""
		if final {
			end = "\n"
		}
		// \r returns to the start of the line, \x1b[K clears what a longer previous line left.
		fmt.Fprintf(b.w, "\r%s\x1b[K%s", line, end)
		b.drawn = true
		return
	}
	fmt.Fprintln(b.w, line)
}

// Line renders the current state as one line (without the terminal control characters).
func (b *Bar) Line(now time.Time) string {
	el := now.Sub(b.start)
	var sb strings.Builder
	if b.o.Label != "" {
		sb.WriteString(b.o.Label)
		sb.WriteString(" ")
	}
	frac := -1.0
	if b.o.Total > 0 {
		frac = float64(b.done) / float64(b.o.Total)
		if frac > 1 {
			frac = 1
		}
	}
	if b.o.TTY && frac >= 0 {
		n := int(frac * barWidth)
		sb.WriteString("[" + strings.Repeat("=", n) + strings.Repeat(" ", barWidth-n) + "] ")
	}
	if frac >= 0 {
		fmt.Fprintf(&sb, "%3.0f%% ", frac*100)
	}
	fmt.Fprintf(&sb, "%d %s", b.count, b.o.Unit)
	if secs := el.Seconds(); secs > 0 {
		fmt.Fprintf(&sb, ", %.0f %s/s", float64(b.count)/secs, b.o.Unit)
	}
	fmt.Fprintf(&sb, ", elapsed %s", fmtDur(el))
	if frac > 0 && frac < 1 {
		eta := time.Duration(float64(el) * (1 - frac) / frac)
		fmt.Fprintf(&sb, ", ETA %s", fmtDur(eta))
	}
	return sb.String()
}

func fmtDur(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%dh%02dm%02ds", h, m, s)
	}
	if m > 0 {
		return fmt.Sprintf("%dm%02ds", m, s)
	}
	return fmt.Sprintf("%ds", s)
}

// CountingReader counts the bytes read through it (the done argument of Update when Total is a
// file size).
type CountingReader struct {
	R io.Reader
	N int64
}

// Read reads from R and counts.
func (c *CountingReader) Read(p []byte) (int, error) {
	n, err := c.R.Read(p)
	c.N += int64(n)
	return n, err
}
