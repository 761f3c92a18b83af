package report

import (
	"fmt"
	"math"
	"strconv"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/shared/stats"
	"github.com/segqa/segqa/reports/figures"
	"github.com/segqa/segqa/reports/tables"
)

// centralFigureFile is the sweep's figure of the central claim.
const centralFigureFile = "figures/central_claim.png"

// centralLevel is the confidence of the intervals of the central claim.
const centralLevel = 0.95

// centralComparison is one reading of the paper's central claim, the
// proposed pipeline more robust than the baseline: two rows of Table 2,
// the baseline's and the proposed pipeline's, and the claim a run checks
// on them.
type centralComparison struct {
	claim      results.ClaimID
	base, prop results.RowID
	name       string // short, for tables and figures
}

// centralComparisons are the paper's protocol, FGSM on d against FGSM on
// x, and the threat an attacker can realise: each pipeline's worst case
// over the attacks on x, end to end.
var centralComparisons = []centralComparison{
	{results.ClaimFGSM, results.RowBaselineFGSMx, results.RowProposedFGSMd, "FGSM on d − FGSM on x"},
	{results.ClaimWorstX, results.RowBaselineWorstx, results.RowProposedWorstx, "worst on x − worst on x"},
}

// centralDiff is, for one setting, comparison and ε, the comparison over
// seeds: Δ = MAE(proposed row) − MAE(baseline row), paired by seed.
type centralDiff struct {
	eps          float64
	base, prop   []float64 // per seed
	bySeed                 // prop − base
	lo, hi       float64   // the t interval of the mean Δ at centralLevel
	holm         float64   // p corrected over the ε of the setting
	propBelow, n int       // seeds where the proposed row is the milder
}

// centralDiffs computes a setting's centralDiff for cmp at every ε of its
// runs' Table 2 that both rows have, over the seeds that ran them.
func centralDiffs(t2s []results.Table2, cmp centralComparison) []centralDiff {
	var out []centralDiff
	var all results.Table2
	for _, t := range t2s {
		all.Rows = append(all.Rows, t.Rows...)
	}
	for _, e := range all.Epsilons() {
		c := centralDiff{eps: e}
		for _, t := range t2s {
			b, p := t.Row(cmp.base), t.Row(cmp.prop)
			if b == nil || p == nil || b.EpsIndex(e) < 0 || p.EpsIndex(e) < 0 {
				continue
			}
			c.base, c.prop = append(c.base, b.MAE[b.EpsIndex(e)]), append(c.prop, p.MAE[p.EpsIndex(e)])
		}
		if len(c.base) == 0 {
			continue
		}
		c.bySeed = pairSeeds(c.base, c.prop)
		c.lo, c.hi = c.Interval(centralLevel)
		for i := range c.base {
			c.propBelow += btoi(c.prop[i] < c.base[i])
		}
		c.n = len(c.base)
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

// belowOverSeeds is the verdict over seeds on a comparison: it holds when
// Δ < 0 with a Holm p below results.ClaimLevel at every ε, as a run's
// claim on its samples; "not checked" without two seeds at some ε.
func belowOverSeeds(diffs []centralDiff) string {
	if len(diffs) == 0 {
		return "not checked"
	}
	for _, c := range diffs {
		if c.n < 2 {
			return "not checked"
		}
		if !(c.Mean < 0 && c.holm < results.ClaimLevel) {
			return "does not hold"
		}
	}
	return "holds"
}

// cleanMAEs are a run's MAE without attack of the baseline and the
// proposed pipeline: the tie's as recorded, else the clean MAE of their
// FGSM rows; ok is false when the run has neither.
func cleanMAEs(t results.Table2) (base, prop float64, ok bool) {
	if t.Tie != nil {
		return t.Tie.BaselineMAE, t.Tie.ProposedMAE, true
	}
	b, p := t.Row(results.RowBaselineFGSMx), t.Row(results.RowProposedFGSMd)
	if b == nil || p == nil || math.IsNaN(b.CleanMAE) || math.IsNaN(p.CleanMAE) {
		return 0, 0, false
	}
	return b.CleanMAE, p.CleanMAE, true
}

// tieOverSeeds decides the tie without attack across a setting's seeds:
// TOST on the per-seed MAE of the two methods, paired by seed, with the
// runs' margin (the first's, or the default for runs before eval.tie_margin).
// It is nil below two seeds.
func tieOverSeeds(t2s []results.Table2) *results.Equivalence {
	var base, prop []float64
	margin := 0.0
	for _, t := range t2s {
		b, p, ok := cleanMAEs(t)
		if !ok {
			continue
		}
		if margin == 0 {
			margin = t.TieMarginOrDefault()
		}
		base, prop = append(base, b), append(prop, p)
	}
	if len(base) < 2 {
		return nil
	}
	eq := results.EquivalenceOf(base, prop, margin, results.OverSeeds)
	return &eq
}

// claimSeeds counts, for each claim of ClaimIDs, the seeds of g where it
// holds and the seeds where it was checked.
func claimSeeds(g *group) (held, checked map[results.ClaimID]int) {
	held, checked = map[results.ClaimID]int{}, map[results.ClaimID]int{}
	for _, c := range g.cells {
		if c.run.table2 == nil {
			continue
		}
		for _, cl := range c.run.table2.Claims() {
			held[cl.ID] += btoi(cl.Holds)
			checked[cl.ID] += btoi(!cl.Unchecked)
		}
	}
	return held, checked
}

// centralSection is the claims atlas of a sweep: per setting, the paired
// difference of each central comparison at each ε with its interval and
// Holm-corrected p, the paper's protocol beside the threat an attacker can
// realise, with a figure of both against ε; the tie without attack
// decided across seeds; and in how many seeds each claim holds.
func centralSection(r *Report, groups []*group) error {
	type setting struct {
		g     *group
		i     int
		diffs [][]centralDiff // per comparison
	}
	var settings []setting
	var decided []*group // the groups of settings
	for i, g := range groups {
		st := setting{g: g, i: i}
		found := false
		for _, cmp := range centralComparisons {
			d := centralDiffs(g.table2s(), cmp)
			st.diffs = append(st.diffs, d)
			found = found || len(d) > 0
		}
		if found {
			settings, decided = append(settings, st), append(decided, g)
		}
	}
	if len(settings) == 0 {
		return nil
	}
	s := r.add("central", "The central claim per setting", 2)
	s.para("The paper's central claim is that the proposed pipeline is more robust than the baseline. It is read two ways: "+
		"**%s**, FGSM on d (an internal image no attacker touches) against FGSM on x; and **%s**, any image within ε of x fed end to end through each pipeline, "+
		"per sample the worst case over every attack the run makes on x. Per setting, comparison and ε: Δ = proposed − baseline MAE, its mean over seeds (paired by seed), "+
		"its %.0f%% t interval, the paired t-test's p over seeds and that p corrected by Holm's method over the setting's ε; the claim needs Δ < 0 with a Holm p below %g at every ε. "+
		"Then the tie without attack decided across seeds, and per claim the seeds where it holds.",
		results.ThreatPaper, results.ThreatRealisable, 100*centralLevel, results.ClaimLevel)
	t := tables.Generic{Header: []string{"setting", "threat", "ε", "baseline", "proposed", "Δ", fmt.Sprintf("%.0f%% interval", 100*centralLevel), "paired t p", "Holm p", "seeds with Δ < 0"}}
	var series []results.Series
	for _, st := range settings {
		for k, cmp := range centralComparisons {
			if len(st.diffs[k]) == 0 {
				continue
			}
			ser := results.Series{Name: st.g.setting + ": " + cmp.claim.Threat(), Color: figures.Color(st.i), Dashed: cmp.claim != results.ClaimFGSM}
			for _, c := range st.diffs[k] {
				mb, sb := stats.MeanStd(c.base)
				mp, sp := stats.MeanStd(c.prop)
				t.Rows = append(t.Rows, []string{
					st.g.setting, cmp.claim.Threat(), strconv.FormatFloat(c.eps, 'g', -1, 64), tables.PM(mb, sb, 3), tables.PM(mp, sp, 3),
					tables.Signed(c.Mean, 4), "[" + tables.Signed(c.lo, 4) + ", " + tables.Signed(c.hi, 4) + "]", results.FormatP(c.P), results.FormatP(c.holm),
					fmt.Sprintf("%d of %d", c.propBelow, c.n),
				})
				ser.X, ser.Y = append(ser.X, c.eps), append(ser.Y, c.Mean)
				ser.Err = append(ser.Err, (c.hi-c.lo)/2)
			}
			series = append(series, ser)
		}
	}
	s.table("Proposed against baseline, paired by seed: "+centralComparisons[0].name+" ("+results.ThreatPaper+"), "+
		centralComparisons[1].name+" ("+results.ThreatRealisable+")", t)
	s.table(fmt.Sprintf("Without attack, across seeds: two one-sided paired t-tests (TOST) on the per-seed MAE against ±margin; "+
		"tie when both reject at %g, differ when the paired t-test does, else not shown to tie", results.ClaimLevel), tieTable(decided))
	s.table("Seeds in which each claim holds", claimsTable(decided))
	fig := results.Curves{Series: series, XLabel: "ε", YLabel: "Δ = proposed − baseline MAE",
		Title: "Proposed against baseline (below 0: the proposed pipeline is the more robust)", ErrorBars: true}
	f, err := drawn("central-claim", centralFigureFile, "Δ = proposed − baseline MAE against ε, mean over seeds with its interval, per setting: "+
		"solid lines "+results.ThreatPaper+" (FGSM on d against FGSM on x), dashed lines "+results.ThreatRealisable+" (each pipeline's worst case over the attacks on x). "+
		"The proposed pipeline is the more robust where a line is below zero.", fig)
	if err != nil {
		return err
	}
	s.blocks = append(s.blocks, f)
	return nil
}

// notTwoSeeds is the tie's verdict over seeds where fewer than two seeds
// recorded both methods' MAE without attack.
const notTwoSeeds = "not checked: fewer than two seeds with the MAE without attack"

// tieTable is the tie without attack per setting, decided across seeds.
func tieTable(groups []*group) tables.Generic {
	t := tables.Generic{Header: []string{"setting", "seeds", "baseline", "proposed", "Δ", "90% interval", "margin", "TOST p", "paired t p", "verdict"}}
	for _, g := range groups {
		eq := tieOverSeeds(g.table2s())
		if eq == nil {
			t.Rows = append(t.Rows, []string{g.setting, results.Dash, results.Dash, results.Dash, results.Dash, results.Dash, results.Dash, results.Dash, results.Dash, notTwoSeeds})
			continue
		}
		t.Rows = append(t.Rows, []string{
			g.setting, strconv.Itoa(eq.N), tables.Fixed(float64(eq.BaselineMAE), 3), tables.Fixed(float64(eq.ProposedMAE), 3), tables.Signed(float64(eq.Delta), 4),
			"[" + tables.Signed(float64(eq.Lo), 4) + ", " + tables.Signed(float64(eq.Hi), 4) + "]", "±" + strconv.FormatFloat(eq.Margin, 'g', -1, 64),
			results.FormatP(float64(eq.P)), results.FormatP(float64(eq.DifferenceP)), eq.Outcome(),
		})
	}
	return t
}

// claimsTable counts per setting the seeds in which each claim holds.
func claimsTable(groups []*group) tables.Generic {
	t := tables.Generic{Header: []string{"setting"}}
	for _, id := range results.ClaimIDs {
		t.Header = append(t.Header, id.Text())
	}
	for _, g := range groups {
		held, checked := claimSeeds(g)
		row := []string{g.setting}
		for _, id := range results.ClaimIDs {
			cell := results.Dash // checked in no seed, e.g. the worst cases on x in runs before segqa stored them
			if checked[id] > 0 {
				cell = fmt.Sprintf("%d of %d", held[id], checked[id])
			}
			row = append(row, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}
