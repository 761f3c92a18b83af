package tables

import (
	"bytes"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/testkit/golden"
)

// calibratedQC is a made-up QC with the band, the coverage's interval and
// two groups, as Table 1 measures them.
func calibratedQC(auroc, band, coverage float64) *results.QC {
	q := results.NoQC()
	q.AUROC, q.AURC, q.AURCOptimal, q.MissedFailures = auroc, 0.171, 0.152, 0.08
	q.Coverage, q.IntervalWidth, q.HalfWidth = coverage, 0.251, 0.1312
	q.CoverageCI = &results.CI{Lo: coverage - 0.061, Hi: coverage + 0.043}
	q.Band = &results.BandQC{Lo: 0.5, Hi: 0.9, N: 200, Failures: 100, AUROC: band, AURC: 0.231, AURCOptimal: 0.201, MissedFailures: 0.21}
	q.Groups = []results.GroupCoverage{
		{Group: "DCM", Samples: 96, Patients: 2, Coverage: coverage - 0.05, CI: results.CI{Lo: 0.79, Hi: 0.9}, HalfWidth: 0.1312},
		{Group: "NOR", Samples: 104, Patients: 3, Coverage: coverage + 0.03, CI: results.CI{Lo: 0.88, Hi: 0.97}, HalfWidth: 0.1312},
	}
	return &q
}

func calibratedTable1() results.Table1 {
	return results.Table1{Rows: []results.Table1Row{
		{ID: results.InputXS.Table1ID(), Method: results.MethodBaseline, Input: results.InputXS.Channels(), N: 500, QC: calibratedQC(0.97, 0.83, 0.894)},
		{ID: results.InputDS.Table1ID(), Method: results.MethodProposed, Input: results.InputDS.Channels(), N: 500, QC: calibratedQC(0.96, 0.78, 0.912)},
		{ID: "old", Method: "before the band", Input: "x, s", N: 500, QC: &results.QC{AUROC: 0.9, Coverage: 0.9}},
	}}
}

func calibratedTable2() results.Table2 {
	clean := calibratedQC(0.96, 0.78, 0.912)
	at := []results.QC{*calibratedQC(0.8, 0.6, 0.5), *calibratedQC(0.7, 0.5, 0.3)}
	at[1].Band.MissedFailures = math.NaN()
	return results.Table2{Rows: []results.Table2Row{
		{ID: results.RowBaselineFGSMx, Method: results.MethodBaseline, Input: "x, s", Attack: "FGSM on x", Eps: []float64{0.1, 0.2}, MAE: []float64{0.1, 0.2}, Std: []float64{0, 0}, N: 500,
			CleanMAE: 0.06, QC: at, CleanQC: clean},
	}}
}

// TestCoverageAndBandTables: the intervals, the coverage per group, and
// failure detection on the band in Tables 1 and 2, against golden
// Markdown; the terminal forms fit 100 columns; rows measured before the
// band or the interval are left out.
func TestCoverageAndBandTables(t *testing.T) {
	t1, t2 := calibratedTable1(), calibratedTable2()
	for name, g := range map[string]Generic{
		"coverage": Coverage(t1), "coverage_groups": CoverageGroups(t1), "band": Band(t1), "table2_band": Table2Band(t2),
	} {
		var md, txt bytes.Buffer
		if err := g.Markdown(&md); err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("testdata", name+".md.golden"), md.Bytes())
		if err := g.Terminal(&txt); err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(txt.String(), "\n") {
			if n := utf8.RuneCountInString(line); n > 100 {
				t.Errorf("%s: a terminal line of %d columns: %q", name, n, line)
			}
		}
		if strings.Contains(md.String(), "before the band") {
			t.Errorf("%s: a row without the figures is shown:\n%s", name, md.String())
		}
	}
	if !HasCoverage(t1) || !HasGroups(t1) || HasCoverage(results.Table1{Rows: t1.Rows[2:]}) {
		t.Error("HasCoverage or HasGroups is wrong")
	}
	var csv bytes.Buffer
	if err := Table1(t1).CSV(&csv); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(csv.String(), "\n")
	if !strings.Contains(lines[0], "coverage_lo,coverage_hi,band_lo,band_hi,band_n,band_failures,band_auroc") ||
		!strings.Contains(lines[1], ",0.833,0.937,0.5,0.9,200,100,0.83,") {
		t.Errorf("Table 1's CSV lacks the coverage's interval or the band:\n%s", csv.String())
	}
}
