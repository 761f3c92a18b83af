package report

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/testkit/golden"
)

// render builds dir and renders it with f.
func render(t *testing.T, dir string, html bool) string {
	t.Helper()
	r, err := Build(dir)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	f := r.Markdown
	if html {
		f = r.HTML
	}
	if err := f(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestGoldenMarkdown(t *testing.T) {
	for _, name := range []string{"run", "sweep"} {
		t.Run(name, func(t *testing.T) {
			got := render(t, filepath.Join("testdata", name), false)
			if again := render(t, filepath.Join("testdata", name), false); again != got {
				t.Fatal("two renderings of the same directory differ")
			}
			golden.Check(t, filepath.Join("testdata", name+".md.golden"), []byte(got))
		})
	}
}

// copyDir copies the testdata directory src into a fresh temporary one.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestWriteRun(t *testing.T) {
	dir := copyDir(t, filepath.Join("testdata", "run"))
	md, html, err := Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	if md != filepath.Join(dir, "report.md") || html != filepath.Join(dir, "report.html") {
		t.Errorf("paths %s, %s", md, html)
	}
	gotMD, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	// The title names the directory; the rest matches the golden file.
	want := render(t, dir, false)
	if string(gotMD) != want {
		t.Error("report.md differs from Markdown()")
	}
	if fi, err := os.Stat(html); err != nil || fi.Size() == 0 {
		t.Errorf("report.html: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestWriteSweepWritesCellReports(t *testing.T) {
	dir := copyDir(t, filepath.Join("testdata", "sweep"))
	if _, _, err := Write(dir); err != nil {
		t.Fatal(err)
	}
	cells, err := filepath.Glob(filepath.Join(dir, "cells", "*"))
	if err != nil || len(cells) != 4 {
		t.Fatalf("cells %v, %v", cells, err)
	}
	for _, c := range cells {
		for _, f := range []string{"report.md", "report.html"} {
			if _, err := os.Stat(filepath.Join(c, f)); err != nil {
				t.Error(err)
			}
		}
	}
	html, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), `href="cells/regnet.loss=l1,seed=2/report.html"`) {
		t.Error("sweep report.html does not link the cell's report.html")
	}
}

func TestMissingFilesSayNotRun(t *testing.T) {
	dir := copyDir(t, filepath.Join("testdata", "run"))
	for _, f := range []string{"results/table2.json", "results/table1.json", "results/predictions.json", "results/pool.json", "manifest.json"} {
		if err := os.Remove(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.RemoveAll(filepath.Join(dir, "results", "figures")); err != nil {
		t.Fatal(err)
	}
	md := render(t, dir, false)
	for _, want := range []string{
		"Not run: `results/table2.json` is missing; the table2 stage writes it.",
		"Not run: `results/predictions.json` is missing; the table1 stage writes it.",
		"Not run: `results/pool.json` is missing; the pool stage writes it.",
		"Not run: `manifest.json` is missing.",
		"No figures: `results/figures` holds no PNG files",
		"## Table 1: MAE without attack", // still there
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// A directory that is not a run at all is an error, not an empty report.
	if _, err := Build(t.TempDir()); !errors.Is(err, ErrNotRun) {
		t.Errorf("an empty directory: err = %v, want ErrNotRun", err)
	}
}

func TestCorruptJSONNamesTheFile(t *testing.T) {
	for _, c := range []struct{ dir, file, content string }{
		{"run", "results/table1.json", `{"rows": [`},
		{"run", "results/pool.json", `[1, 2]`},
		{"run", "results/predictions.json", `{"true_dice": [0.5], "predicted": {"xs": [0.1, 0.2]}}`},
		{"sweep", "sweep.json", `{"cells": 3}`},
		{"sweep", "cells/regnet.loss=l2,seed=1/results/table2.json", `nope`},
	} {
		dir := copyDir(t, filepath.Join("testdata", c.dir))
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(c.file)), []byte(c.content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Build(dir)
		if err == nil || !strings.Contains(err.Error(), filepath.FromSlash(c.file)) {
			t.Errorf("%s: err = %v, want one naming the file", c.file, err)
		}
	}
}

// TestSweepReportMarksMissingCells: a cell that failed before Table 1, one
// stopped by a signal and one that never started are listed with why and
// what they lack.
func TestSweepReportMarksMissingCells(t *testing.T) {
	dir := copyDir(t, filepath.Join("testdata", "sweep"))
	failed := filepath.Join(dir, "cells", "regnet.loss=l1,seed=2")
	for _, f := range []string{"results/table1.json", "results/table2.json"} {
		if err := os.Remove(filepath.Join(failed, f)); err != nil {
			t.Fatal(err)
		}
	}
	outcome := `{"ok": false, "error": "stage data: read patient003_frame01.nii.gz: unexpected EOF"}`
	if err := os.WriteFile(filepath.Join(failed, "outcome.json"), []byte(outcome), 0o644); err != nil {
		t.Fatal(err)
	}
	stopped := filepath.Join(dir, "cells", "regnet.loss=l1,seed=1", "outcome.json")
	if err := os.WriteFile(stopped, []byte(`{"ok": false, "error": "stage certify: stopped", "stopped": "SIGINT"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, "cells", "regnet.loss=l2,seed=1")); err != nil {
		t.Fatal(err)
	}
	md := render(t, dir, false)
	for _, want := range []string{
		"**Missing: 4 of 4 cells did not finish**",
		"| regnet.loss=l1,seed=1 | 1 | unfinished | stopped (SIGINT) after stage table2; the same command resumes it | — |",
		"| regnet.loss=l1,seed=2 | 2 | failed | after stage table2: stage data: read patient003_frame01.nii.gz: unexpected EOF | Table 1 and Table 2 |",
		"| regnet.loss=l2,seed=1 | 1 | pending | not started | Table 1 and Table 2 |",
		"| regnet.loss=l2,seed=2 | 2 | failed | after stage table1: stage table2: write",
		"| regnet.loss=l2,seed=1 | 1 | pending | none | — |", // in the cells
		"Table 1 over 1 seed of 2 cells",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("sweep report lacks %q:\n%s", want, md)
		}
	}
}
