package progress

import (
	"bytes"
	"strings"
	"testing"
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
