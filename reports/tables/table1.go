package tables

import (
	"io"
	"strconv"

	"github.com/segqa/segqa/harness/results"
)

// Table1 renders results.Table1, the paper's Table 1, as a terminal
// table, Markdown or CSV.
type Table1 results.Table1

var table1Header = []string{
	"method", "network & input", "MAE (ours, mean ± std)", "paper", "n", "Pearson r", "acc(Dice<0.7)",
}

func (t Table1) cells() [][]string {
	rows := make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		paper := dash
		if r.HasPaper() {
			paper = pm(r.PaperMAE, r.PaperStd)
		}
		rows[i] = []string{
			r.Method, r.Input, pm(r.MAE, r.Std), paper,
			strconv.Itoa(r.N), num(r.Pearson), num(r.Accuracy07),
		}
	}
	return rows
}

// Terminal draws the table in the paper's layout with two decimals.
func (t Table1) Terminal(w io.Writer) error {
	return terminal(w, "", table1Header, t.cells())
}

// Markdown writes the paper layout as a pipe table.
func (t Table1) Markdown(w io.Writer) error {
	return markdown(w, "", table1Header, t.cells())
}

// CSV writes one line per row at full precision; missing numbers are empty.
func (t Table1) CSV(w io.Writer) error {
	header := []string{"method", "input", "mae", "std", "n", "pearson", "accuracy_07", "paper_mae", "paper_std"}
	rows := make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		paperMAE, paperStd := "", ""
		if r.HasPaper() {
			paperMAE, paperStd = full(r.PaperMAE), full(r.PaperStd)
		}
		rows[i] = []string{
			r.Method, r.Input, full(r.MAE), full(r.Std), strconv.Itoa(r.N),
			full(r.Pearson), full(r.Accuracy07), paperMAE, paperStd,
		}
	}
	return writeCSV(w, header, rows)
}

// JSON writes t as results/table1.json (see results.Table1.JSON).
func (t Table1) JSON(w io.Writer) error { return results.Table1(t).JSON(w) }
