package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestBarWritesLinesWhenNotATerminal(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, "zoo epoch 1/3", 10, "img")
	b.every = 0 // draw on every Add
	b.Add(4, "loss 0.5")
	b.Add(6, "loss 0.4")
	b.Done("val 0.3")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3:\n%s", len(lines), buf.String())
	}
	for _, want := range []string{"zoo epoch 1/3", " 40%", "4/10 img", "loss 0.5"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("first line %q lacks %q", lines[0], want)
		}
	}
	if !strings.Contains(lines[2], "100%") || !strings.Contains(lines[2], "val 0.3") || strings.Contains(buf.String(), "\r") {
		t.Errorf("final line %q", lines[2])
	}
}

func TestNilBarIsSilent(t *testing.T) {
	b := New(nil, "x", 1, "img")
	b.Add(1, "")
	b.Done("")
	if b.Rate() != 0 {
		t.Error("nil bar has a rate")
	}
}

// TestBarFitsWidth: the longest lines segqa draws (a REG-Net's last epoch,
// its status in full) fit Width, the bar narrower; a line too long for any
// bar has none.
func TestBarFitsWidth(t *testing.T) {
	for _, c := range []struct {
		label, status string
		bar           bool
	}{
		{"regnet-xds epoch 300/300", "loss 0.0795 val 0.1086 metric 0.2882", true},
		{"unet-d4-f16 epoch 16/16", "loss 1.3351 val 1.3192 metric 1.3192", true},
		{"attack", "", true},
		{"a label of some length, as a test might give", "and a status line that leaves no room for any bar", false},
	} {
		var buf bytes.Buffer
		b := New(&buf, c.label, 1000, "img")
		b.done, b.start = 1000, b.start.Add(-5*time.Second) // 200.0 img/s
		b.Done(c.status)
		line := strings.TrimSuffix(buf.String(), "\n")
		if n := len([]rune(line)); n > Width && c.bar {
			t.Errorf("%d columns, more than %d: %q", n, Width, line)
		}
		if strings.Contains(line, "[") != c.bar || !strings.HasSuffix(line, c.status) {
			t.Errorf("line %q: want bar %v and the status in full", line, c.bar)
		}
	}
}
