package report

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
)

// TestRunReportCalibration: a run whose Table 1 measured the coverage's
// interval, the groups and the band, and whose conformal.json names its
// calibration patients, gets them in its report, with the plain statement
// that the intervals hold without attack only; Table 2's band follows its
// quality control.
func TestRunReportCalibration(t *testing.T) {
	dir := copyDir(t, filepath.Join("testdata", "run"))
	t1 := readInto(t, dir, results.Table1File, results.ReadTable1)
	for i := range t1.Rows {
		q := results.NoQC()
		q.AUROC, q.Coverage, q.IntervalWidth, q.HalfWidth = 0.95, 0.9, 0.3, 0.2
		q.CoverageCI = &results.CI{Lo: 0.83, Hi: 0.95}
		q.Band = &results.BandQC{Lo: 0.5, Hi: 0.9, N: 200, Failures: 100, AUROC: 0.81, AURC: 0.3, AURCOptimal: 0.25, MissedFailures: 0.2}
		q.Groups = []results.GroupCoverage{{Group: "MINF", Samples: 100, Patients: 2, Coverage: 0.87, CI: results.CI{Lo: 0.8, Hi: 0.93}, HalfWidth: 0.2}}
		t1.Rows[i].QC = &q
	}
	writeInto(t, dir, results.Table1File, t1)
	t2 := readInto(t, dir, results.Table2File, results.ReadTable2)
	for i := range t2.Rows {
		r := &t2.Rows[i]
		band := func(auroc float64) results.QC {
			q := results.NoQC()
			q.AUROC, q.Coverage = auroc, 0.5
			q.Band = &results.BandQC{Lo: 0.5, Hi: 0.9, N: 200, Failures: 100, AUROC: auroc, AURC: 0.3, AURCOptimal: 0.25, MissedFailures: 0.2}
			return q
		}
		clean := band(0.8)
		r.CleanQC, r.QC = &clean, nil
		for range r.Eps {
			r.QC = append(r.QC, band(0.6))
		}
	}
	writeInto(t, dir, results.Table2File, t2)
	c := results.Conformal{Alpha: 0.1, FailBelow: 0.7, Calibration: 500, Method: "patient", Pool: results.Calib,
		Patients: []string{"patient041", "patient042"}, HalfWidth: map[results.Input]float64{results.InputXS: 0.2}}
	if err := run.WriteJSON(filepath.Join(dir, filepath.FromSlash(results.ConformalFile)), c); err != nil {
		t.Fatal(err)
	}
	doc := render(t, dir, false)
	for _, want := range []string{
		"The conformal intervals hold without attack only.",
		"patient conformal at miscoverage 0.1, calibrated on the calibration pool: 500 samples of 2 patients (patient041, patient042)",
		"These patients serve nothing else",
		"| [0.83, 0.95] |",
		"| MINF | 2 | 100 | 0.870 | [0.80, 0.93] |",
		"on the band of true Dice [0.5, 0.9) (200 samples, 100 failures)",
		"Table 2, failure detection on the band",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("the run report lacks %q", want)
		}
	}
	if n := strings.Count(doc, "hold without attack only"); n != 2 {
		t.Errorf("the report says the intervals hold without attack only %d times, want 2 (Tables 1 and 2)", n)
	}
}

func readInto[T any](t *testing.T, dir, rel string, read func(io.Reader) (T, error)) T {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	v, err := read(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func writeInto(t *testing.T, dir, rel string, v interface{ JSON(io.Writer) error }) {
	t.Helper()
	var b bytes.Buffer
	if err := v.JSON(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(rel)), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
