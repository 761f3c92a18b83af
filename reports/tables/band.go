package tables

import (
	"fmt"
	"strconv"

	"github.com/segqa/segqa/harness/shared/results"
)

// Band is Table 1's failure detection on the band of true Dice (eval.band)
// beside the whole test pool: AUROC, AURC with the best ordering's, and
// the share of failures passed. Rows without a band (the runs before segqa
// measured it) are left out.
func Band(t results.Table1) Generic {
	g := Generic{Header: []string{"network", "AUROC", "on band", "AURC (best)", "on band", "missed", "on band"}}
	var b *results.BandQC
	for _, r := range t.Rows {
		q := r.QC
		if q == nil || q.Band == nil {
			continue
		}
		b = q.Band
		g.Rows = append(g.Rows, []string{rowName(r), num(q.AUROC), num(b.AUROC), aurcText(q.AURC, q.AURCOptimal),
			aurcText(b.AURC, b.AURCOptimal), num(q.MissedFailures), num(b.MissedFailures)})
	}
	if b != nil {
		g.Title = "Table 1, failure detection on the whole test pool and on the band " + bandText(b) + ", where it is hard"
	}
	return g
}

// Table2Band is Table 2's failure detection on the band of true Dice,
// without attack and at each ε: AUROC, AURC and the share of failures
// passed, for each row that measured it.
func Table2Band(t results.Table2) Generic {
	eps := t.Epsilons()
	g := Generic{Header: []string{"method", "network & input", "attack", "no attack"}}
	for _, e := range eps {
		g.Header = append(g.Header, "ε="+strconv.FormatFloat(e, 'g', -1, 64))
	}
	var b *results.BandQC
	for _, r := range t.Rows {
		if r.CleanQC == nil || r.CleanQC.Band == nil {
			continue
		}
		b = r.CleanQC.Band
		row := []string{r.Method, r.Input, r.Attack, bandCell(b)}
		for _, e := range eps {
			j := r.EpsIndex(e)
			if j < 0 || r.QC == nil || r.QC[j].Band == nil {
				row = append(row, results.Dash)
				continue
			}
			row = append(row, bandCell(r.QC[j].Band))
		}
		g.Rows = append(g.Rows, row)
	}
	if b != nil {
		g.Title = "Table 2, failure detection on the band " + bandText(b) + ": AUROC, AURC and share of failures passed"
	}
	return g
}

// bandCell is a band's figures on three lines.
func bandCell(b *results.BandQC) string {
	return "AUROC " + num(b.AUROC) + "\nAURC " + num(b.AURC) + "\nmissed " + num(b.MissedFailures)
}

// bandText is a band as "of true Dice [0.5, 0.9) (120 samples, 48 failures)".
func bandText(b *results.BandQC) string {
	return fmt.Sprintf("of true Dice [%g, %g) (%d samples, %d failures)", b.Lo, b.Hi, b.N, b.Failures)
}

func aurcText(a, best float64) string { return num(a) + " (" + num(best) + ")" }
