package tables

import (
	"io"
	"strconv"

	"github.com/segqa/segqa/harness/shared/results"
)

// Table2QC renders the quality-control figures of Table 2: for each row,
// without attack and at each ε, the AUROC of detecting failures, the share
// of true failures passed, the share of pass/fail decisions flipped by the
// attack and the coverage of the conformal intervals.
type Table2QC results.Table2

// Table2QCTitle says what the cells of Table2QC hold.
const Table2QCTitle = "Quality control under attack: AUROC of detecting failures, share of true failures passed, share of decisions flipped, interval coverage"

func (t Table2QC) cells() ([]string, [][]string, error) {
	if err := results.Table2(t).Check(); err != nil {
		return nil, nil, err
	}
	eps := results.Table2(t).Epsilons()
	header := []string{"method", "network & input", "attack", "no attack"}
	for _, e := range eps {
		header = append(header, "ε="+strconv.FormatFloat(e, 'g', -1, 64))
	}
	var rows [][]string
	for _, r := range t.Rows {
		row := []string{r.Method, r.Input, r.Attack, qcCell(r.CleanQC, false)}
		for _, e := range eps {
			j := r.EpsIndex(e)
			if j < 0 || r.QC == nil {
				row = append(row, results.Dash)
				continue
			}
			row = append(row, qcCell(&r.QC[j], true))
		}
		rows = append(rows, row)
	}
	return header, rows, nil
}

// qcCell is one QC on four lines; flips only under attack.
func qcCell(q *results.QC, attacked bool) string {
	if q == nil {
		return results.Dash
	}
	s := "AUROC " + num(q.AUROC) + "\nmissed " + num(q.MissedFailures)
	if attacked {
		s += "\nflipped " + num(q.FlipRate)
	}
	return s + "\ncoverage " + num(q.Coverage)
}

// Terminal prints a table per figure of qcFigures that Table 2 gives (the
// flips are in the budget table), on the whole test pool, then on the band
// where it was measured: a row per attack that has the figures, named by
// its ID as in Table 2, a column without attack and one per ε.
func (t Table2QC) Terminal(w io.Writer) error {
	if err := results.Table2(t).Check(); err != nil {
		return err
	}
	eps := results.Table2(t).Epsilons()
	header := []string{"row", "no attack"}
	for _, e := range eps {
		header = append(header, "ε="+strconv.FormatFloat(e, 'g', -1, 64))
	}
	var ts []terminalTable
	for _, f := range qcFigures {
		if !f.table2 {
			continue
		}
		p := plain{title: "Table 2, quality control under attack, " + f.name + ": " + f.note, header: header}
		if f.band {
			b := t.band()
			if b == nil {
				continue
			}
			p.title = "Table 2, failure detection on the band " + bandText(b) + ", " + f.name + ": " + f.note
		}
		for _, r := range t.Rows {
			if r.QC == nil && r.CleanQC == nil {
				continue
			}
			row := []string{string(r.ID), results.Dash}
			if r.CleanQC != nil {
				row[1] = f.cell(r.CleanQC)
			}
			for _, e := range eps {
				if j := r.EpsIndex(e); j >= 0 && r.QC != nil {
					row = append(row, f.cell(&r.QC[j]))
				} else {
					row = append(row, results.Dash)
				}
			}
			p.rows = append(p.rows, row)
		}
		ts = append(ts, p)
	}
	return writeTables(w, ts...)
}

// band is the band of true Dice of the first row that measured one
// without attack, nil if none did.
func (t Table2QC) band() *results.BandQC {
	for _, r := range t.Rows {
		if r.CleanQC != nil && r.CleanQC.Band != nil {
			return r.CleanQC.Band
		}
	}
	return nil
}

// Markdown writes the Terminal layout as a pipe table, without the title
// (a report puts it in the caption).
func (t Table2QC) Markdown(w io.Writer) error {
	header, rows, err := t.cells()
	if err != nil {
		return err
	}
	return markdown(w, "", header, rows)
}

// CSV is Table 2's long form, which holds the quality-control columns.
func (t Table2QC) CSV(w io.Writer) error { return Table2(t).CSV(w) }

// JSON writes t as results/table2.json (see results.Table2.JSON).
func (t Table2QC) JSON(w io.Writer) error { return results.Table2(t).JSON(w) }
