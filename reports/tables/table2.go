package tables

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/segqa/segqa/harness/shared/results"
)

// Table2 renders results.Table2, the paper's Table 2 and the rows segqa
// adds, as a terminal table, Markdown or CSV: one column per ε of any row.
type Table2 results.Table2

func header2(eps []float64) []string {
	h := []string{"method", "network & input", "attack", "n"}
	for _, e := range eps {
		h = append(h, "ε="+strconv.FormatFloat(e, 'g', -1, 64))
	}
	return h
}

// cell is "ours" and, where the paper has a figure, "(paper …)" on a second line.
func cell2(r results.Table2Row, i int) string {
	s := PM(r.MAE[i], r.Std[i], 2)
	if r.PaperMAE != nil && !math.IsNaN(r.PaperMAE[i]) {
		std := math.NaN()
		if r.PaperStd != nil {
			std = r.PaperStd[i]
		}
		s += "\n(paper " + PM(r.PaperMAE[i], std, 2) + ")"
	}
	return s
}

func (t Table2) cells() ([]string, [][]string, error) {
	if err := results.Table2(t).Check(); err != nil {
		return nil, nil, err
	}
	eps := results.Table2(t).Epsilons()
	rows := make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		row := []string{r.Method, r.Input, r.Attack, strconv.Itoa(r.N)}
		for _, e := range eps {
			j := r.EpsIndex(e)
			if j < 0 {
				row = append(row, results.Dash)
				continue
			}
			row = append(row, cell2(r, j))
		}
		rows[i] = row
	}
	return header2(eps), rows, nil
}

// Terminal prints a row per attack, named by its ID, and a column per ε,
// "mean ± std" with two decimals; the paper's rows first, each followed
// by a line of the paper's figures. The legend says what each row is. The
// sample count has a column when the rows differ in it.
func (t Table2) Terminal(w io.Writer) error {
	if err := results.Table2(t).Check(); err != nil {
		return err
	}
	paperRows, added := results.Table2(t).PaperRows()
	rows := append(paperRows, added...)
	title := "Table 2: MAE of the predicted Dice on the test pool under attack, mean ± std"
	p := plain{header: []string{"row", "n"}}
	n, sameN := sampleCount(rows)
	if sameN {
		title += " over " + strconv.Itoa(n) + " samples"
		p.header = p.header[:1]
	}
	p.title = title + "; under each of the paper's rows, its figures"
	eps := results.Table2(t).Epsilons()
	for _, e := range eps {
		p.header = append(p.header, "ε="+strconv.FormatFloat(e, 'g', -1, 64))
	}
	for _, r := range rows {
		ours, paper := []string{string(r.ID)}, []string{"  paper"}
		if !sameN {
			ours, paper = append(ours, strconv.Itoa(r.N)), append(paper, "")
		}
		for _, e := range eps {
			j := r.EpsIndex(e)
			ours, paper = append(ours, results.Dash), append(paper, "")
			if j < 0 {
				continue
			}
			ours[len(ours)-1] = PM(r.MAE[j], r.Std[j], 2)
			if r.PaperMAE != nil && !math.IsNaN(r.PaperMAE[j]) {
				paper[len(paper)-1] = PM(r.PaperMAE[j], paperStd(r, j), 2)
			}
		}
		p.rows = append(p.rows, ours)
		if r.PaperMAE != nil {
			p.rows = append(p.rows, paper)
		}
		p.legend = append(p.legend, rowTerm(r))
	}
	var note strings.Builder
	if err := t.spreadNote(&note, ""); err != nil {
		return err
	}
	if note.Len() > 0 {
		p.notes = []string{note.String()}
	}
	return p.write(w)
}

// sampleCount is the rows' sample count and whether they all have it.
func sampleCount(rows []results.Table2Row) (int, bool) {
	if len(rows) == 0 {
		return 0, false
	}
	for _, r := range rows[1:] {
		if r.N != rows[0].N {
			return 0, false
		}
	}
	return rows[0].N, true
}

// paperStd is the paper's std of row r at its j-th ε, NaN where it has none.
func paperStd(r results.Table2Row, j int) float64 {
	if r.PaperStd == nil {
		return math.NaN()
	}
	return r.PaperStd[j]
}

// rowTerm says what a Table 2 row named by its ID is: the network, what
// it sees and the attack.
func rowTerm(r results.Table2Row) term {
	return term{string(r.ID), r.Method + " on " + r.Input + ": " + r.Attack}
}

// spreadNote writes, under the table, one line saying how large ε is in
// units of each attacked input's standard deviation; nothing for runs
// before segqa recorded it. prefix starts the line (Markdown: "\n").
func (t Table2) spreadNote(w io.Writer, prefix string) error {
	if len(t.Spreads) == 0 {
		return nil
	}
	parts := make([]string, len(t.Spreads))
	for i, s := range t.Spreads {
		k := make([]string, len(s.EpsInStd))
		for j, v := range s.EpsInStd {
			k[j] = strconv.FormatFloat(v, 'f', 2, 64)
		}
		parts[i] = fmt.Sprintf("%s (σ %.3g): %s", s.Input, s.Std, strings.Join(k, " / "))
	}
	_, err := fmt.Fprintf(w, "%sε in units of the attacked input's standard deviation over the test pool: %s\n", prefix, strings.Join(parts, "; "))
	return err
}

// Markdown writes the Terminal layout as a pipe table, the paper's figure
// in parentheses after ours.
func (t Table2) Markdown(w io.Writer) error {
	header, rows, err := t.cells()
	if err != nil {
		return err
	}
	if err := markdown(w, "", header, rows); err != nil {
		return err
	}
	return t.spreadNote(w, "\n")
}

// CSV writes the table in long form, one line per row and epsilon, at full
// precision; missing numbers are empty.
func (t Table2) CSV(w io.Writer) error {
	if err := results.Table2(t).Check(); err != nil {
		return err
	}
	header := append([]string{"method", "input", "attack", "eps", "mae", "std", "n", "paper_mae", "paper_std"}, qcCSVHeader...)
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
			var qc *results.QC
			if r.QC != nil {
				qc = &r.QC[i]
			}
			rows = append(rows, append([]string{
				r.Method, r.Input, r.Attack, full(e), full(r.MAE[i]), full(r.Std[i]),
				strconv.Itoa(r.N), pmae, pstd,
			}, qcCSV(qc)...))
		}
	}
	return writeCSV(w, header, rows)
}

// JSON writes t as results/table2.json (see results.Table2.JSON).
func (t Table2) JSON(w io.Writer) error { return results.Table2(t).JSON(w) }
