package report

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/shared/results"
)

func TestQCOverSeeds(t *testing.T) {
	qc := func(auroc, missed, cov float64) *results.QC {
		q := results.NoQC()
		q.AUROC, q.MissedFailures, q.Coverage, q.FlipRate = auroc, missed, cov, 0.1
		return &q
	}
	t1 := []results.Table1{
		{Rows: []results.Table1Row{{ID: "m", Method: "m", Input: "x, s", QC: qc(0.9, 0.2, 0.88)}, {ID: "old", Method: "old", Input: "d, s"}}},
		{Rows: []results.Table1Row{{ID: "m", Method: "m", Input: "x, s", QC: qc(0.95, 0.1, 0.92)}}},
	}
	g := table1QCOver(t1)
	if len(g.Rows) != 1 {
		t.Fatalf("rows %v, want the one row with QC", g.Rows)
	}
	// Mean 0.925, sample std 0.0354 of 0.9 and 0.95; coverage 0.90 ± 0.028.
	if row := g.Rows[0]; row[2] != "2" || row[3] != "0.925 ± 0.035" || row[7] != "0.900 ± 0.028" || row[4] != results.Dash {
		t.Errorf("row %q", row)
	}
	row := func(q *results.QC) results.Table2Row {
		return results.Table2Row{ID: "m_a", Method: "m", Input: "i", Attack: "a", Eps: []float64{0.1}, MAE: []float64{0.2}, Std: []float64{0}, CleanMAE: math.NaN(), QC: []results.QC{*q}, CleanQC: q}
	}
	t2 := table2QCOver([]results.Table2{{Rows: []results.Table2Row{row(qc(0.8, 0.3, 0.5))}}, {Rows: []results.Table2Row{row(qc(0.7, 0.5, 0.7))}}})
	if len(t2.Rows) != 1 || len(t2.Header) != 5 {
		t.Fatalf("Table 2 QC over seeds: %v %v", t2.Header, t2.Rows)
	}
	if cell := t2.Rows[0][4]; !strings.Contains(cell, "missed 0.400 ± 0.141") || !strings.Contains(cell, "flipped 0.100 ± 0.000") {
		t.Errorf("ε = 0.1 cell %q", cell)
	}
	if strings.Contains(t2.Rows[0][3], "flipped") {
		t.Errorf("the clean cell has a flip rate: %q", t2.Rows[0][3])
	}
}

// TestBandOverSeeds: the band's AUROC is given over seeds beside the whole
// pool's, a seed that did not measure it left out of its mean.
func TestBandOverSeeds(t *testing.T) {
	qc := func(band float64) *results.QC {
		q := results.NoQC()
		q.AUROC = 0.95
		if !math.IsNaN(band) {
			q.Band = &results.BandQC{Lo: 0.5, Hi: 0.9, AUROC: band, AURC: 0.3, MissedFailures: 0.2}
		}
		return &q
	}
	var ts []results.Table1
	for _, b := range []float64{0.8, 0.7, math.NaN()} {
		ts = append(ts, results.Table1{Rows: []results.Table1Row{{ID: "ds", Method: "proposed", Input: "d, s", QC: qc(b)}}})
	}
	g := table1QCOver(ts)
	col := slices.Index(g.Header, "AUROC on band")
	if col < 0 || g.Rows[0][col] != "0.750 ± 0.071" || g.Rows[0][2] != "3" {
		t.Errorf("header %q, row %q: want the band's AUROC 0.750 ± 0.071 over the two seeds that measured it", g.Header, g.Rows[0])
	}
}
