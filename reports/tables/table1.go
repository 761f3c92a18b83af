package tables

import (
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/segqa/segqa/harness/shared/results"
)

// Table1 renders results.Table1, the paper's Table 1, as a terminal
// table, Markdown or CSV.
type Table1 results.Table1

var table1Header = []string{
	"method", "network & input", "MAE (ours, mean ± std)", "paper", "n", "Pearson r", "acc(Dice<0.7)",
}

// qcHeader is the quality-control columns of Table 1 in Markdown, shown
// when a row has them; qcFigures are the same on the terminal.
var qcHeader = []string{"AUROC (failures)", "AURC (best)", "missed failures", "coverage", "interval width"}

// hasQC reports whether any row carries quality-control figures.
func (t Table1) hasQC() bool {
	for _, r := range t.Rows {
		if r.QC != nil {
			return true
		}
	}
	return false
}

func (t Table1) header() []string {
	if t.hasQC() {
		return append(slices.Clone(table1Header), qcHeader...)
	}
	return table1Header
}

// qcCells is a QC as the columns of qcHeader.
func qcCells(q *results.QC) []string {
	if q == nil {
		return []string{results.Dash, results.Dash, results.Dash, results.Dash, results.Dash}
	}
	return []string{num(q.AUROC), num(q.AURC) + " (" + num(q.AURCOptimal) + ")", num(q.MissedFailures), num(q.Coverage), num(q.IntervalWidth)}
}

func (t Table1) cells() [][]string {
	qc := t.hasQC()
	rows := make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		paper := results.Dash
		if r.HasPaper() {
			paper = PM(r.PaperMAE, r.PaperStd, 2)
		}
		rows[i] = []string{
			r.Method, r.Input, PM(r.MAE, r.Std, 2), paper,
			strconv.Itoa(r.N), num(r.Pearson), num(r.Accuracy07),
		}
		if qc {
			rows[i] = append(rows[i], qcCells(r.QC)...)
		}
	}
	return rows
}

// Terminal prints the paper's columns with two decimals, then, when the
// rows have them, the quality-control figures as a table of their own.
func (t Table1) Terminal(w io.Writer) error {
	main := plain{
		title:  "Table 1: MAE of the predicted Dice on the test pool, no attack",
		header: []string{"method", "input", "MAE", "paper", "n", "r", "acc"},
		keys:   2,
		notes: []string{"MAE: mean ± std of |predicted − true Dice|; paper: the paper's; " +
			"r: Pearson's r of predicted and true Dice; acc: accuracy of the decision Dice < 0.7."},
	}
	for _, row := range t.cells() {
		main.rows = append(main.rows, row[:len(table1Header)])
	}
	if !t.hasQC() {
		return main.write(w)
	}
	return writeTables(w, main, t.qcTerminal())
}

// qcTerminal is the quality-control table of Table 1 for the terminal: a
// row per network that has the figures, a column per figure of
// qcFigures that Table 1 gives.
func (t Table1) qcTerminal() plain {
	p := plain{
		title:  "Table 1, quality control: a failure is a true Dice below eval.fail_below",
		header: []string{"method"},
	}
	var figs []qcFigure
	for _, f := range qcFigures {
		if f.table1 {
			figs = append(figs, f)
			p.header = append(p.header, f.name)
			p.notes = append(p.notes, f.name+": "+f.note)
		}
	}
	p.notes = []string{strings.Join(p.notes, "; ") + "."}
	for _, r := range t.Rows {
		if r.QC == nil {
			continue
		}
		row := []string{r.Method}
		for _, f := range figs {
			row = append(row, f.cell(r.QC))
		}
		p.rows = append(p.rows, row)
	}
	return p
}

// Markdown writes the paper layout as a pipe table.
func (t Table1) Markdown(w io.Writer) error {
	return markdown(w, "", t.header(), t.cells())
}

// CSV writes one line per row at full precision, with its ID, its
// quality-control figures and its input sensitivity; missing numbers are
// empty.
func (t Table1) CSV(w io.Writer) error {
	header := append([]string{"id", "method", "input", "mae", "std", "n", "pearson", "accuracy_07", "paper_mae", "paper_std"}, qcCSVHeader...)
	header = append(header, sensitivityCSVHeader...)
	rows := make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		paperMAE, paperStd := "", ""
		if r.HasPaper() {
			paperMAE, paperStd = full(r.PaperMAE), full(r.PaperStd)
		}
		rows[i] = []string{
			string(r.ID), r.Method, r.Input, full(r.MAE), full(r.Std), strconv.Itoa(r.N),
			full(r.Pearson), full(r.Accuracy07), paperMAE, paperStd,
		}
		rows[i] = append(append(rows[i], qcCSV(r.QC)...), sensitivityCSV(r.Sensitivity)...)
	}
	return writeCSV(w, header, rows)
}

// JSON writes t as results/table1.json (see results.Table1.JSON).
func (t Table1) JSON(w io.Writer) error { return results.Table1(t).JSON(w) }

// qcCSVHeader is the quality-control columns of the CSV files, empty
// where not measured: the whole pool's, the coverage's 95% interval over
// test patients, and the band's (eval.band).
var qcCSVHeader = []string{"auroc", "auprc", "aurc", "aurc_optimal", "missed_failures", "flip_rate", "coverage", "interval_width",
	"coverage_lo", "coverage_hi", "band_lo", "band_hi", "band_n", "band_failures", "band_auroc", "band_aurc", "band_aurc_optimal", "band_missed_failures"}

func qcCSV(q *results.QC) []string {
	if q == nil {
		return make([]string, len(qcCSVHeader))
	}
	out := []string{full(q.AUROC), full(q.AUPRC), full(q.AURC), full(q.AURCOptimal), full(q.MissedFailures), full(q.FlipRate), full(q.Coverage), full(q.IntervalWidth)}
	if c := q.CoverageCI; c != nil {
		out = append(out, full(c.Lo), full(c.Hi))
	} else {
		out = append(out, "", "")
	}
	if b := q.Band; b != nil {
		return append(out, full(b.Lo), full(b.Hi), strconv.Itoa(b.N), strconv.Itoa(b.Failures), full(b.AUROC), full(b.AURC), full(b.AURCOptimal), full(b.MissedFailures))
	}
	return append(out, make([]string, 8)...)
}
