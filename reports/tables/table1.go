package tables

import (
	"io"
	"strconv"
)

// Table1Row is one line of Table 1: a quality regressor evaluated on the
// test pool without attack.
type Table1Row struct {
	Method string // e.g. MethodBaseline or MethodProposed
	Input  string // the network's input, e.g. InputXS
	MAE    float64
	Std    float64 // standard deviation of the absolute errors
	N      int     // test samples
	// Pearson is the correlation of predicted and true Dice; NaN if not measured.
	Pearson float64
	// Accuracy07 is the fraction of samples where "Dice < 0.7" is decided
	// the same way from the prediction as from the truth; NaN if not measured.
	Accuracy07 float64
	// PaperMAE and PaperStd are the published figures; both 0 if none.
	PaperMAE, PaperStd float64
}

// Table1 is the paper's Table 1: MAE of the predicted Dice without attack.
type Table1 struct {
	Rows []Table1Row
}

func (r Table1Row) hasPaper() bool { return r.PaperMAE != 0 || r.PaperStd != 0 }

var table1Header = []string{
	"method", "network & input", "MAE (ours, mean ± std)", "paper", "n", "Pearson r", "acc(Dice<0.7)",
}

func (t Table1) cells() [][]string {
	rows := make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		paper := dash
		if r.hasPaper() {
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
		if r.hasPaper() {
			paperMAE, paperStd = full(r.PaperMAE), full(r.PaperStd)
		}
		rows[i] = []string{
			r.Method, r.Input, full(r.MAE), full(r.Std), strconv.Itoa(r.N),
			full(r.Pearson), full(r.Accuracy07), paperMAE, paperStd,
		}
	}
	return writeCSV(w, header, rows)
}

type table1JSONRow struct {
	Method     string  `json:"method"`
	Input      string  `json:"input"`
	MAE        Number  `json:"mae"`
	Std        Number  `json:"std"`
	N          int     `json:"n"`
	Pearson    Number  `json:"pearson"`
	Accuracy07 Number  `json:"accuracy_07"`
	PaperMAE   *Number `json:"paper_mae,omitempty"`
	PaperStd   *Number `json:"paper_std,omitempty"`
}

// JSON writes {"rows":[{"method", "input", "mae", "std", "n", "pearson",
// "accuracy_07"}]} at full precision; "paper_mae" and "paper_std" are added
// where the paper reports the row.
func (t Table1) JSON(w io.Writer) error {
	rows := make([]table1JSONRow, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = table1JSONRow{
			Method: r.Method, Input: r.Input, MAE: Number(r.MAE), Std: Number(r.Std), N: r.N,
			Pearson: Number(r.Pearson), Accuracy07: Number(r.Accuracy07),
		}
		if r.hasPaper() {
			m, s := Number(r.PaperMAE), Number(r.PaperStd)
			rows[i].PaperMAE, rows[i].PaperStd = &m, &s
		}
	}
	return writeJSON(w, struct {
		Rows []table1JSONRow `json:"rows"`
	}{rows})
}
