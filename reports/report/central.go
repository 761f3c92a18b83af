package report

import (
	"fmt"
	"strconv"

	"github.com/segqa/segqa/harness/results"
	"github.com/segqa/segqa/harness/stats"
	"github.com/segqa/segqa/reports/figures"
	"github.com/segqa/segqa/reports/tables"
)

// centralFigureFile is the sweep's figure of the central claim.
const centralFigureFile = "figures/central_claim.png"

// centralLevel is the confidence of the intervals of the central claim.
const centralLevel = 0.95

// centralDiff is, for one setting and ε, the paper's central comparison
// over seeds: Δ = MAE(FGSM on d) − MAE(FGSM on x), paired by seed.
type centralDiff struct {
	eps        float64
	x, d       []float64 // per seed
	bySeed               // b − a with b = d, a = x
	lo, hi     float64   // the t interval of the mean Δ at centralLevel
	holm       float64   // p corrected over the ε of the setting
	dBelow, of int       // seeds where FGSM on d is the milder
}

// centralDiffs computes a setting's centralDiff at every ε of its runs'
// Table 2 that both rows have, over the seeds that ran Table 2.
func centralDiffs(t2s []results.Table2) []centralDiff {
	var out []centralDiff
	var all results.Table2
	for _, t := range t2s {
		all.Rows = append(all.Rows, t.Rows...)
	}
	for _, e := range all.Epsilons() {
		c := centralDiff{eps: e}
		for _, t := range t2s {
			x, d := t.Row(results.RowBaselineFGSMx), t.Row(results.RowProposedFGSMd)
			if x == nil || d == nil || x.EpsIndex(e) < 0 || d.EpsIndex(e) < 0 {
				continue
			}
			c.x, c.d = append(c.x, x.MAE[x.EpsIndex(e)]), append(c.d, d.MAE[d.EpsIndex(e)])
		}
		if len(c.x) == 0 {
			continue
		}
		c.bySeed = pairSeeds(c.x, c.d)
		c.lo, c.hi = c.Interval(centralLevel)
		for i := range c.x {
			c.dBelow += btoi(c.d[i] < c.x[i])
		}
		c.of = len(c.x)
		out = append(out, c)
	}
	ps := make([]float64, len(out))
	for i, c := range out {
		ps[i] = c.P
	}
	for i, p := range stats.Holm(ps) {
		out[i].holm = p
	}
	return out
}

// claimSeeds counts, for each of the paper's claims, the seeds of g where it
// holds and the seeds where it was checked.
func claimSeeds(g *group) (names []string, held, checked []int) {
	for _, c := range g.cells {
		if c.run.table2 == nil {
			continue
		}
		for k, cl := range c.run.table2.Claims() {
			if k == len(names) {
				names, held, checked = append(names, cl.Claim), append(held, 0), append(checked, 0)
			}
			held[k] += btoi(cl.Holds)
			checked[k] += btoi(!cl.Unchecked)
		}
	}
	return names, held, checked
}

// centralSection is the claims atlas of a sweep: per setting, in how many
// seeds each of the paper's claims holds, and the paired difference FGSM
// on d minus FGSM on x at each ε with its interval and Holm-corrected p,
// with a figure of that difference against ε.
func centralSection(r *Report, groups []*group) error {
	type setting struct {
		g     *group
		i     int
		diffs []centralDiff
	}
	var settings []setting
	for i, g := range groups {
		if d := centralDiffs(g.table2s()); len(d) > 0 {
			settings = append(settings, setting{g, i, d})
		}
	}
	if len(settings) == 0 {
		return nil
	}
	s := r.add("central", "The central claim per setting", 2)
	s.para("The paper's central claim is that FGSM on d hurts the proposed pipeline less than FGSM on x hurts the baseline. Per setting and ε: Δ = MAE(FGSM on d) − MAE(FGSM on x), its mean over seeds (paired by seed), its %.0f%% t interval, the paired t-test's p and that p corrected by Holm's method over the setting's ε; the claim needs Δ < 0. Then, per claim, the seeds where it holds.", 100*centralLevel)
	t := tables.Generic{Header: []string{"setting", "ε", "FGSM on x", "FGSM on d", "Δ = d − x", fmt.Sprintf("%.0f%% interval", 100*centralLevel), "paired t p", "Holm p", "seeds with d < x"}}
	var series []results.Series
	for _, st := range settings {
		ser := results.Series{Name: st.g.setting, Color: figures.Color(st.i)}
		for _, c := range st.diffs {
			mx, sx := stats.MeanStd(c.x)
			md, sd := stats.MeanStd(c.d)
			t.Rows = append(t.Rows, []string{
				st.g.setting, strconv.FormatFloat(c.eps, 'g', -1, 64), tables.PM(mx, sx, 3), tables.PM(md, sd, 3),
				tables.Signed(c.Mean, 4), "[" + tables.Signed(c.lo, 4) + ", " + tables.Signed(c.hi, 4) + "]", results.FormatP(c.P), results.FormatP(c.holm),
				fmt.Sprintf("%d of %d", c.dBelow, c.of),
			})
			ser.X, ser.Y = append(ser.X, c.eps), append(ser.Y, c.Mean)
			ser.Err = append(ser.Err, (c.hi-c.lo)/2)
		}
		series = append(series, ser)
	}
	s.table("FGSM on d against FGSM on x, paired by seed", t)
	claims := tables.Generic{Header: []string{"setting"}}
	for k, st := range settings {
		names, held, checked := claimSeeds(st.g)
		if k == 0 {
			claims.Header = append(claims.Header, names...)
		}
		row := []string{st.g.setting}
		for j := range names {
			cell := results.Dash // checked in no seed, e.g. the tie in runs before segqa recorded it
			if checked[j] > 0 {
				cell = fmt.Sprintf("%d of %d", held[j], checked[j])
			}
			row = append(row, cell)
		}
		claims.Rows = append(claims.Rows, row)
	}
	s.table("Seeds in which each of the paper's claims holds", claims)
	fig := results.Curves{Series: series, XLabel: "ε", YLabel: "Δ = MAE(FGSM on d) − MAE(FGSM on x)",
		Title: "FGSM on d against FGSM on x (below 0: the claim holds)", ErrorBars: true}
	f, err := drawn("central-claim", centralFigureFile, "Δ = MAE(FGSM on d) − MAE(FGSM on x) against ε, mean over seeds with its interval, one line per setting: the paper's central claim holds where the line is below zero.", fig)
	if err != nil {
		return err
	}
	s.blocks = append(s.blocks, f)
	return nil
}
