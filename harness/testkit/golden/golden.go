package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var regen = flag.Bool("regen", false, "rewrite the golden files with what the tests now produce")

// Check compares got with the golden file at path. With -regen it rewrites
// the file (making missing folders) instead. On a mismatch it writes got to
// path+".got" and reports a failure; on a match it removes a stale
// path+".got". A missing golden file stops the test.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	gotPath := path + ".got"
	if *regen {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Remove(gotPath)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -regen creates it)", err)
	}
	if bytes.Equal(got, want) {
		os.Remove(gotPath)
		return
	}
	if err := os.WriteFile(gotPath, got, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Errorf("output differs from %s: %s\ngot written to %s (diff %s %s; go test -regen accepts it)",
		path, hint(want, got), gotPath, path, gotPath)
}

// hint describes where got first differs from want: the first differing
// line of each, shortened, with its number.
func hint(want, got []byte) string {
	w, g := bytes.SplitAfter(want, []byte("\n")), bytes.SplitAfter(got, []byte("\n"))
	line := 0
	for line < len(w) && line < len(g) && bytes.Equal(w[line], g[line]) {
		line++
	}
	at := func(lines [][]byte) string {
		if line >= len(lines) || len(lines[line]) == 0 {
			return "end of file"
		}
		return fmt.Sprintf("%q", shorten(lines[line], 100))
	}
	return fmt.Sprintf("line %d\n  want: %s\n   got: %s", line+1, at(w), at(g))
}

// shorten cuts b to at most n bytes, marking the cut.
func shorten(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "..."
}
