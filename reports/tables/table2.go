package tables

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
)

// ErrShape reports a Table2Row whose per-epsilon slices differ in length.
var ErrShape = errors.New("tables: per-epsilon slices differ in length")

// Table2Row is one line of Table 2: one attacked pipeline, its MAE at each
// attack level epsilon.
type Table2Row struct {
	Method string // e.g. MethodBaseline
	Input  string // e.g. InputXAdvS
	Attack string // e.g. AttackX
	Eps    []float64
	MAE    []float64 // same length as Eps
	Std    []float64 // same length as Eps
	N      int
	// CleanMAE and CleanStd are the row's network without attack (ε = 0);
	// NaN when unknown.
	CleanMAE, CleanStd float64
	// PaperMAE and PaperStd are the published figures, nil if none, else of
	// the same length as Eps; a NaN entry means the paper has no figure there.
	PaperMAE, PaperStd []float64
}

// Table2 is the paper's Table 2: MAE of the predicted Dice under attack.
type Table2 struct {
	Rows []Table2Row
	// Tie is the paired test of the two methods without attack; nil when
	// not recorded.
	Tie *Tie
}

func (r Table2Row) check() error {
	n := len(r.Eps)
	if len(r.MAE) != n || len(r.Std) != n ||
		(r.PaperMAE != nil && len(r.PaperMAE) != n) || (r.PaperStd != nil && len(r.PaperStd) != n) {
		return fmt.Errorf("%w: row %q %q %q", ErrShape, r.Method, r.Input, r.Attack)
	}
	return nil
}

func (t Table2) check() error {
	for _, r := range t.Rows {
		if err := r.check(); err != nil {
			return err
		}
	}
	return nil
}

// roundEps removes float noise so that equal levels compare equal.
func roundEps(e float64) float64 { return math.Round(e*1e9) / 1e9 }

// epsilons returns the sorted union of every row's levels.
func (t Table2) epsilons() []float64 {
	var all []float64
	for _, r := range t.Rows {
		for _, e := range r.Eps {
			all = append(all, roundEps(e))
		}
	}
	slices.Sort(all)
	return slices.Compact(all)
}

func (t Table2) header(eps []float64) []string {
	h := []string{"method", "network & input", "attack", "n"}
	for _, e := range eps {
		h = append(h, "ε="+strconv.FormatFloat(e, 'g', -1, 64))
	}
	return h
}

// cell is "ours" and, where the paper has a figure, "(paper …)" on a second line.
func (r Table2Row) cell(i int) string {
	s := pm(r.MAE[i], r.Std[i])
	if r.PaperMAE != nil && !math.IsNaN(r.PaperMAE[i]) {
		std := math.NaN()
		if r.PaperStd != nil {
			std = r.PaperStd[i]
		}
		s += "\n(paper " + pm(r.PaperMAE[i], std) + ")"
	}
	return s
}

func (t Table2) cells() ([]string, [][]string, error) {
	if err := t.check(); err != nil {
		return nil, nil, err
	}
	eps := t.epsilons()
	rows := make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		row := []string{r.Method, r.Input, r.Attack, strconv.Itoa(r.N)}
		for _, e := range eps {
			j := slices.IndexFunc(r.Eps, func(x float64) bool { return roundEps(x) == e })
			if j < 0 {
				row = append(row, dash)
				continue
			}
			row = append(row, r.cell(j))
		}
		rows[i] = row
	}
	return t.header(eps), rows, nil
}

// Terminal draws one column per epsilon, "mean ± std" with two decimals and
// the paper's figure on a second line of the cell.
func (t Table2) Terminal(w io.Writer) error {
	header, rows, err := t.cells()
	if err != nil {
		return err
	}
	return terminal(w, "", header, rows)
}

// Markdown writes the Terminal layout as a pipe table, the paper's figure
// in parentheses after ours.
func (t Table2) Markdown(w io.Writer) error {
	header, rows, err := t.cells()
	if err != nil {
		return err
	}
	return markdown(w, "", header, rows)
}

// CSV writes the table in long form, one line per row and epsilon, at full
// precision; missing numbers are empty.
func (t Table2) CSV(w io.Writer) error {
	if err := t.check(); err != nil {
		return err
	}
	header := []string{"method", "input", "attack", "eps", "mae", "std", "n", "paper_mae", "paper_std"}
	var rows [][]string
	for _, r := range t.Rows {
		for i, e := range r.Eps {
			pmae, pstd := "", ""
			if r.PaperMAE != nil {
				pmae = full(r.PaperMAE[i])
			}
			if r.PaperStd != nil {
				pstd = full(r.PaperStd[i])
			}
			rows = append(rows, []string{
				r.Method, r.Input, r.Attack, full(e), full(r.MAE[i]), full(r.Std[i]),
				strconv.Itoa(r.N), pmae, pstd,
			})
		}
	}
	return writeCSV(w, header, rows)
}

type table2JSONRow struct {
	Method   string   `json:"method"`
	Input    string   `json:"input"`
	Attack   string   `json:"attack"`
	Eps      []Number `json:"eps"`
	MAE      []Number `json:"mae"`
	Std      []Number `json:"std"`
	N        int      `json:"n"`
	CleanMAE *Number  `json:"clean_mae,omitempty"` // absent in runs before segqa recorded it
	CleanStd *Number  `json:"clean_std,omitempty"`
	PaperMAE []Number `json:"paper_mae,omitempty"`
	PaperStd []Number `json:"paper_std,omitempty"`
}

// JSON writes {"rows":[{"method", "input", "attack", "eps":[…], "mae":[…],
// "std":[…], "n"}]} at full precision, with "paper_mae" and "paper_std"
// where the paper reports the row.
func (t Table2) JSON(w io.Writer) error {
	if err := t.check(); err != nil {
		return err
	}
	rows := make([]table2JSONRow, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = table2JSONRow{
			Method: r.Method, Input: r.Input, Attack: r.Attack,
			Eps: numbers(nonNil(r.Eps)), MAE: numbers(nonNil(r.MAE)), Std: numbers(nonNil(r.Std)), N: r.N,
			CleanMAE: numberOrNil(r.CleanMAE), CleanStd: numberOrNil(r.CleanStd),
			PaperMAE: numbers(r.PaperMAE), PaperStd: numbers(r.PaperStd),
		}
	}
	return writeJSON(w, table2JSON{Rows: rows, Tie: t.Tie, Claims: t.Claims()})
}

// table2JSON is the shape of table2.json; claims are written for readers
// and recomputed from the numbers when read.
type table2JSON struct {
	Rows   []table2JSONRow `json:"rows"`
	Tie    *Tie            `json:"tie,omitempty"`
	Claims []Claim         `json:"claims"`
}

// numberOrNil leaves NaN out of the JSON.
func numberOrNil(x float64) *Number {
	if math.IsNaN(x) {
		return nil
	}
	n := Number(x)
	return &n
}

// nonNil makes an empty slice marshal as [] rather than null.
func nonNil(xs []float64) []float64 {
	if xs == nil {
		return []float64{}
	}
	return xs
}
