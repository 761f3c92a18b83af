package report

import (
	"math"
	"slices"
	"strconv"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/reports/tables"
)

// qcSeeds collects one QC per seed.
type qcSeeds []results.QC

// over is the mean ± std across seeds of one figure of the QCs, with
// three decimals; NaN figures (not measured in a seed) are left out.
func (qs qcSeeds) over(field func(results.QC) float64) string {
	xs := make([]float64, len(qs))
	for i, q := range qs {
		xs[i] = field(q)
	}
	return overSeeds(xs)
}

func auroc(q results.QC) float64    { return q.AUROC }
func aurc(q results.QC) float64     { return q.AURC }
func aurcBest(q results.QC) float64 { return q.AURCOptimal }
func missed(q results.QC) float64   { return q.MissedFailures }
func flipped(q results.QC) float64  { return q.FlipRate }
func coverage(q results.QC) float64 { return q.Coverage }
func width(q results.QC) float64    { return q.IntervalWidth }

// onBand is a figure of the band's failure detection, NaN where the seed
// did not measure it.
func onBand(field func(results.BandQC) float64) func(results.QC) float64 {
	return func(q results.QC) float64 {
		if q.Band == nil {
			return math.NaN()
		}
		return field(*q.Band)
	}
}

var (
	bandAUROC  = onBand(func(b results.BandQC) float64 { return b.AUROC })
	bandAURC   = onBand(func(b results.BandQC) float64 { return b.AURC })
	bandMissed = onBand(func(b results.BandQC) float64 { return b.MissedFailures })
)

// table1QCOver is Table 1's quality-control figures over seeds, mean ± std
// across seeds, rows matched by ID with the labels of their first run; no
// rows if no run measured them. The band's figures (eval.band) follow the
// whole pool's.
func table1QCOver(ts []results.Table1) tables.Generic {
	g := tables.Generic{Header: []string{"method", "network & input", "seeds", "AUROC (failures)", "AURC", "AURC, best ordering", "missed failures", "coverage", "interval width",
		"AUROC on band", "AURC on band", "missed on band"}}
	var keys []results.Table1ID
	labels := map[results.Table1ID]results.Table1Row{}
	per := map[results.Table1ID]qcSeeds{}
	for _, t := range ts {
		for _, r := range t.Rows {
			if r.QC == nil {
				continue
			}
			if !slices.Contains(keys, r.ID) {
				keys, labels[r.ID] = append(keys, r.ID), r
			}
			per[r.ID] = append(per[r.ID], *r.QC)
		}
	}
	for _, k := range keys {
		qs, l := per[k], labels[k]
		g.Rows = append(g.Rows, []string{l.Method, l.Input, strconv.Itoa(len(qs)),
			qs.over(auroc), qs.over(aurc), qs.over(aurcBest), qs.over(missed), qs.over(coverage), qs.over(width),
			qs.over(bandAUROC), qs.over(bandAURC), qs.over(bandMissed)})
	}
	return g
}

// table2QCOver is Table 2's quality-control figures over seeds: for each
// row (by ID, with the labels of its first run), without attack and at
// each ε, the mean ± std across seeds of the AUROC, the missed failures,
// the flip rate and the interval coverage.
func table2QCOver(ts []results.Table2) tables.Generic {
	var keys []results.RowID
	var eps []float64
	labels := map[results.RowID]results.Table2Row{}
	clean := map[results.RowID]qcSeeds{}
	at := map[results.RowID]map[float64]qcSeeds{}
	for _, t := range ts {
		for _, r := range t.Rows {
			if r.QC == nil && r.CleanQC == nil {
				continue
			}
			k := r.ID
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
				labels[k] = r
				at[k] = map[float64]qcSeeds{}
			}
			if r.CleanQC != nil {
				clean[k] = append(clean[k], *r.CleanQC)
			}
			for i, e := range r.Eps {
				if r.QC == nil {
					break
				}
				e = results.RoundEps(e)
				if !slices.Contains(eps, e) {
					eps = append(eps, e)
				}
				at[k][e] = append(at[k][e], r.QC[i])
			}
		}
	}
	slices.Sort(eps)
	g := tables.Generic{Header: []string{"method", "network & input", "attack", "no attack"}}
	for _, e := range eps {
		g.Header = append(g.Header, "ε="+strconv.FormatFloat(e, 'g', -1, 64))
	}
	for _, k := range keys {
		l := labels[k]
		row := []string{l.Method, l.Input, l.Attack, qcOverCell(clean[k], false)}
		for _, e := range eps {
			row = append(row, qcOverCell(at[k][e], true))
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}

func qcOverCell(qs qcSeeds, attacked bool) string {
	if len(qs) == 0 {
		return results.Dash
	}
	s := "AUROC " + qs.over(auroc) + "\nmissed " + qs.over(missed)
	if attacked {
		s += "\nflipped " + qs.over(flipped)
	}
	s += "\ncoverage " + qs.over(coverage)
	if slices.ContainsFunc(qs, func(q results.QC) bool { return q.Band != nil }) {
		s += "\nAUROC on band " + qs.over(bandAUROC) + "\nmissed on band " + qs.over(bandMissed)
	}
	return s
}
