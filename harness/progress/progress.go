// Package progress draws progress bars for long work on a terminal, and
// plain periodic lines elsewhere (CI logs, files).
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"
)

// Bar is one bar. The zero value is unusable; use New. A nil *Bar is a
// valid bar that draws nothing.
type Bar struct {
	w       io.Writer
	tty     bool
	label   string
	unit    string
	total   int
	done    int
	start   time.Time
	last    time.Time
	every   time.Duration
	status  string
	lastLen int
}

// New starts a bar of total units named label; w nil means no output.
func New(w io.Writer, label string, total int, unit string) *Bar {
	if w == nil {
		return nil
	}
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	every := 10 * time.Second
	if tty {
		every = 150 * time.Millisecond
	}
	now := time.Now()
	return &Bar{w: w, tty: tty, label: label, unit: unit, total: total, start: now, last: now, every: every}
}

// Add advances the bar by n units and sets the status text shown after it.
func (b *Bar) Add(n int, status string) {
	if b == nil {
		return
	}
	b.done += n
	b.status = status
	if time.Since(b.last) >= b.every {
		b.draw(false)
	}
}

// Done draws the final state and ends the line.
func (b *Bar) Done(status string) {
	if b == nil {
		return
	}
	b.status = status
	b.draw(true)
}

// Rate is units per second so far.
func (b *Bar) Rate() float64 {
	if b == nil {
		return 0
	}
	el := time.Since(b.start).Seconds()
	if el <= 0 {
		return 0
	}
	return float64(b.done) / el
}

// Width is the widest line a bar draws, a 100-column terminal's: the bar
// shrinks, or goes, to leave room for the figures and the status.
const Width = 100

func (b *Bar) draw(final bool) {
	b.last = time.Now()
	frac := 1.0
	if b.total > 0 {
		frac = min(float64(b.done)/float64(b.total), 1)
	}
	eta := ""
	if r := b.Rate(); r > 0 && !final && b.total > b.done {
		eta = " eta " + (time.Duration(float64(b.total-b.done)/r) * time.Second).Round(time.Second).String()
	}
	figures := fmt.Sprintf("%3.0f%% %d/%d %s %.1f %s/s%s %s", 100*frac, b.done, b.total, b.unit, b.Rate(), b.unit, eta, b.status)
	line := b.label + " " + figures
	if width := min(24, Width-utf8.RuneCountInString(line)-3); width >= 4 {
		line = b.label + " [" + bar(frac, width) + "] " + figures
	}
	line = strings.TrimRight(line, " ")
	if b.tty {
		pad := ""
		if n := b.lastLen - len(line); n > 0 {
			pad = strings.Repeat(" ", n)
		}
		fmt.Fprint(b.w, "\r"+line+pad)
		b.lastLen = len(line)
		if final {
			fmt.Fprintln(b.w)
		}
		return
	}
	fmt.Fprintln(b.w, line)
}

// bar is frac of width drawn with "=" and a ">" at its head.
func bar(frac float64, width int) string {
	fill := int(frac * float64(width))
	s := strings.Repeat("=", fill)
	if fill < width {
		s += ">" + strings.Repeat(" ", width-fill-1)
	}
	return s
}
