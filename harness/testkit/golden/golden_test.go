package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// fakeT records what Check reports; Fatal ends the goroutine like
// testing.T's does.
type fakeT struct {
	testing.TB
	errors []string
	fatal  bool
}

func (f *fakeT) Helper() {}
func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}
func (f *fakeT) Fatal(args ...any) { f.Fatalf("%s", fmt.Sprint(args...)) }
func (f *fakeT) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	f.fatal = true
	runtime.Goexit()
}

// check runs Check in its own goroutine so that a Fatal can end it.
func check(path string, got string) *fakeT {
	f := &fakeT{}
	var wg sync.WaitGroup
	wg.Go(func() { Check(f, path, []byte(got)) })
	wg.Wait()
	return f
}

func read(t *testing.T, path string) (string, bool) {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return "", false
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b), true
}

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.golden")

	if f := check(path, "a\n"); !f.fatal || !strings.Contains(f.errors[0], "-regen") {
		t.Errorf("missing golden file: %+v, want a fatal error mentioning -regen", f)
	}

	*regen = true
	f := check(path, "a\nb\n")
	*regen = false
	if len(f.errors) != 0 {
		t.Fatalf("-regen: %v", f.errors)
	}
	if s, _ := read(t, path); s != "a\nb\n" {
		t.Fatalf("-regen wrote %q", s)
	}

	if f := check(path, "a\nB\n"); f.fatal || len(f.errors) != 1 ||
		!strings.Contains(f.errors[0], "line 2") || !strings.Contains(f.errors[0], path+".got") {
		t.Errorf("mismatch: %+v, want one error naming line 2 and %s.got", f, path)
	}
	if s, ok := read(t, path+".got"); !ok || s != "a\nB\n" {
		t.Errorf("%s.got holds %q (exists %v), want what the test got", path, s, ok)
	}
	if s, _ := read(t, path); s != "a\nb\n" {
		t.Errorf("a mismatch changed the golden file to %q", s)
	}

	if f := check(path, "a\nb\n"); len(f.errors) != 0 {
		t.Errorf("match: %v", f.errors)
	}
	if _, ok := read(t, path+".got"); ok {
		t.Error("a match left the stale .got file")
	}

	check(path, "other")
	*regen = true
	check(path, "c\n")
	*regen = false
	if _, ok := read(t, path+".got"); ok {
		t.Error("-regen left the stale .got file")
	}
	if s, _ := read(t, path); s != "c\n" {
		t.Errorf("-regen wrote %q", s)
	}
}

func TestHint(t *testing.T) {
	for _, c := range []struct{ want, got, hint string }{
		{"a\nb\n", "a\nc\n", "line 2\n  want: \"b\\n\"\n   got: \"c\\n\""},
		{"a\n", "a\nb\n", "line 2\n  want: end of file\n   got: \"b\\n\""},
		{"a\nb\n", "", "line 1\n  want: \"a\\n\"\n   got: end of file"},
		{"a", "a\n", "line 1\n  want: \"a\"\n   got: \"a\\n\""},
		{strings.Repeat("x", 200), "y", "line 1\n  want: \"" + strings.Repeat("x", 100) + "...\"\n   got: \"y\""},
	} {
		if h := hint([]byte(c.want), []byte(c.got)); h != c.hint {
			t.Errorf("hint(%q, %q) =\n%s\nwant\n%s", c.want, c.got, h, c.hint)
		}
	}
}
