package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/shared/stats"
	"github.com/segqa/segqa/reports/tables"
)

// agg1Row is one row of Table 1 aggregated over seeds.
type agg1Row struct {
	id                 results.Table1ID
	method, input      string
	mae, std           float64 // mean and sample std across seeds of the row's MAE
	seeds              int     // runs that have the row
	pearson, acc       float64 // means across seeds
	paperMAE, paperStd float64
}

func (r agg1Row) name() string { return r.method + " (" + r.input + ")" }

// aggregate1 aggregates Table 1 over runs: rows are matched by ID, keep
// the labels of their first run and the order in which they first appear.
func aggregate1(ts []results.Table1) []agg1Row {
	var out []agg1Row
	var maes, pearsons, accs [][]float64
	for _, t := range ts {
		for _, row := range t.Rows {
			i := slices.IndexFunc(out, func(a agg1Row) bool { return a.id == row.ID })
			if i < 0 {
				out = append(out, agg1Row{id: row.ID, method: row.Method, input: row.Input, paperMAE: row.PaperMAE, paperStd: row.PaperStd})
				maes, pearsons, accs = append(maes, nil), append(pearsons, nil), append(accs, nil)
				i = len(out) - 1
			}
			maes[i] = append(maes[i], row.MAE)
			pearsons[i] = append(pearsons[i], row.Pearson)
			accs[i] = append(accs[i], row.Accuracy07)
		}
	}
	for i := range out {
		out[i].mae, out[i].std = acrossSeeds(maes[i])
		out[i].seeds = len(maes[i])
		out[i].pearson, _ = stats.MeanStd(pearsons[i])
		out[i].acc, _ = stats.MeanStd(accs[i])
	}
	return out
}

// aggregate2 aggregates Table 2 over runs: rows are matched by ID and
// keep the labels of their first run; at each ε the MAE becomes the mean
// across the runs that have it and Std the sample std across them, and
// the paper's figure is the first run's that has one. seeds[i] counts the
// runs that have row i. The paper's claims are checked against the means.
func aggregate2(ts []results.Table2) (t results.Table2, seeds []int) {
	type acc struct {
		row   results.Table2Row
		at    map[float64][]float64  // MAE by ε
		paper map[float64][2]float64 // the paper's MAE and Std by ε
		clean []float64
	}
	var rows []*acc
	for _, tab := range ts {
		for _, row := range tab.Rows {
			i := slices.IndexFunc(rows, func(a *acc) bool { return a.row.ID == row.ID })
			if i < 0 {
				rows = append(rows, &acc{row: results.Table2Row{ID: row.ID, Method: row.Method, Input: row.Input, Attack: row.Attack, N: row.N},
					at: map[float64][]float64{}, paper: map[float64][2]float64{}})
				seeds = append(seeds, 0)
				i = len(rows) - 1
			}
			seeds[i]++
			rows[i].clean = append(rows[i].clean, row.CleanMAE)
			for k, e := range row.Eps {
				e = results.RoundEps(e)
				rows[i].at[e] = append(rows[i].at[e], row.MAE[k])
				if _, seen := rows[i].paper[e]; !seen && row.PaperMAE != nil && !math.IsNaN(row.PaperMAE[k]) {
					rows[i].paper[e] = [2]float64{row.PaperMAE[k], paperStd(row, k)}
				}
			}
		}
	}
	for _, a := range rows {
		r := a.row
		for e := range a.at {
			r.Eps = append(r.Eps, e)
		}
		slices.Sort(r.Eps)
		for _, e := range r.Eps {
			m, s := acrossSeeds(a.at[e])
			r.MAE, r.Std = append(r.MAE, m), append(r.Std, s)
			if len(a.paper) > 0 {
				p, ok := a.paper[e]
				if !ok {
					p = [2]float64{math.NaN(), math.NaN()}
				}
				r.PaperMAE, r.PaperStd = append(r.PaperMAE, p[0]), append(r.PaperStd, p[1])
			}
		}
		r.CleanMAE, r.CleanStd = acrossSeeds(a.clean)
		t.Rows = append(t.Rows, r)
	}
	return t.WithClaims(), seeds
}

// paperStd is the paper's Std of row at its k-th ε, NaN where it has none.
func paperStd(row results.Table2Row, k int) float64 {
	if row.PaperStd == nil {
		return math.NaN()
	}
	return row.PaperStd[k]
}

// acrossSeeds is the mean and sample std of one figure across seeds; the
// std of a single seed is NaN (unknown), not 0.
func acrossSeeds(xs []float64) (mean, std float64) {
	mean, std = stats.MeanStd(xs)
	if len(xs) < 2 {
		std = math.NaN()
	}
	return mean, std
}

// seedsText is "1 seed" or "n seeds".
func seedsText(n int) string {
	if n == 1 {
		return "1 seed"
	}
	return strconv.Itoa(n) + " seeds"
}

// table1s and table2s collect the tables of the cells that have them.
func (g *group) table1s() (ts []results.Table1) {
	for _, c := range g.cells {
		if c.run.table1 != nil {
			ts = append(ts, *c.run.table1)
		}
	}
	return ts
}

func (g *group) table2s() (ts []results.Table2) {
	for _, c := range g.cells {
		if c.run.table2 != nil {
			ts = append(ts, *c.run.table2)
		}
	}
	return ts
}

// table1Over renders aggregated Table 1 rows.
func table1Over(rows []agg1Row) tables.Generic {
	g := tables.Generic{Header: []string{"method", "network & input", "MAE (mean ± std over seeds)", "seeds", "paper", "Pearson r (mean)", "acc(Dice<0.7) (mean)"}}
	for _, r := range rows {
		paper := results.Dash
		if r.paperMAE != 0 || r.paperStd != 0 {
			paper = tables.PM(r.paperMAE, r.paperStd, 2)
		}
		g.Rows = append(g.Rows, []string{r.method, r.input, tables.PM(r.mae, r.std, 3), strconv.Itoa(r.seeds), paper, tables.Fixed(r.pearson, 2), tables.Fixed(r.acc, 2)})
	}
	return g
}

func groupSection(r *Report, g *group, i int) {
	s := r.add(fmt.Sprintf("setting-%d", i+1), "Setting "+g.setting, 2)
	var seeds []string
	for _, c := range g.cells {
		seeds = append(seeds, strconv.FormatUint(c.seed, 10))
	}
	s.para("%d cells, seeds %s.", len(g.cells), strings.Join(seeds, ", "))
	if t1 := g.table1s(); len(t1) > 0 {
		s.table(fmt.Sprintf("Table 1 over %s of %d cells", seedsText(len(t1)), len(g.cells)), table1Over(aggregate1(t1)))
		if qc := table1QCOver(t1); len(qc.Rows) > 0 {
			s.table("Table 1, quality control: mean ± std across seeds. "+qcExplained, qc)
		}
		if sens := sensitivityOver(t1); len(sens.Rows) > 0 {
			s.table("Table 1, input sensitivity: mean ± std across seeds, and the seeds in which each network was flagged. "+sensitivityExplained, sens)
		}
	} else {
		s.para("Table 1: not run in any cell of this setting.")
	}
	t2s := g.table2s()
	if len(t2s) == 0 {
		s.para("Table 2: not run in any cell of this setting.")
		return
	}
	t2, n := aggregate2(t2s)
	caption := fmt.Sprintf("Table 2 over %s of %d cells: mean ± std across seeds of the MAE at each ε, the paper's figure in parentheses; n is the test samples of one run",
		seedsText(len(t2s)), len(g.cells))
	var partial []string
	for k, row := range t2.Rows {
		if n[k] != len(t2s) {
			partial = append(partial, fmt.Sprintf("%s (%s, %s) in %d", row.Method, row.Input, row.Attack, n[k]))
		}
	}
	if len(partial) > 0 {
		caption += "; rows not in every run: " + strings.Join(partial, ", ")
	}
	s.table(caption, tables.Table2(t2))
	if qc := table2QCOver(t2s); len(qc.Rows) > 0 {
		s.table(tables.Table2QCTitle+": mean ± std across seeds, without attack and at each ε", qc)
	}
	s.table("The claims in each seed and over seeds: the tie by TOST on the per-seed MAE, the worst cases on x by the paired t-test over seeds with Holm over ε, the others on the means over seeds", claimsOverSeeds(g, t2))
}

// claimsOverSeeds tabulates each claim's verdict per seed, as each run
// recorded it, and over seeds: the tie decided by TOST on the per-seed MAE
// (tieOverSeeds), the claim on the worst cases on x by the paired t-test
// over seeds with Holm over ε (belowOverSeeds), the others on mean, the
// table of the means over seeds.
func claimsOverSeeds(g *group, mean results.Table2) tables.Generic {
	header := []string{"claim"}
	var per []results.Claims
	for _, c := range g.cells {
		if c.run.table2 != nil {
			header = append(header, "seed "+strconv.FormatUint(c.seed, 10))
			per = append(per, c.run.table2.Claims())
		}
	}
	header = append(header, "over seeds")
	out := tables.Generic{Header: header}
	for _, id := range results.ClaimIDs {
		row := []string{id.Text()}
		for _, cs := range per {
			cell := results.Dash // a claim the run did not record
			if c, ok := cs.Find(id); ok {
				cell = c.Verdict()
			}
			row = append(row, cell)
		}
		out.Rows = append(out.Rows, append(row, claimOverSeeds(id, g.table2s(), mean)))
	}
	return out
}

// claimOverSeeds is claim id's verdict over the seeds of t2s, whose means are
// mean.
func claimOverSeeds(id results.ClaimID, t2s []results.Table2, mean results.Table2) string {
	switch id {
	case results.ClaimTie:
		eq := tieOverSeeds(t2s)
		if eq == nil {
			return notTwoSeeds
		}
		return fmt.Sprintf("%s (TOST over %d seeds, ±%g: p = %s)", eq.Outcome(), eq.N, eq.Margin, results.FormatP(float64(eq.P)))
	case results.ClaimWorstX:
		return belowOverSeeds(centralDiffs(t2s, centralComparisons[1]))
	}
	if c, ok := mean.Claim(id); ok {
		return c.Verdict()
	}
	return results.Dash
}

// ablationSection tabulates the methods' MAE per grid setting.
func ablationSection(r *Report, groups []*group) {
	s := r.add("ablation", "Ablation: Table 1 MAE per setting", 2)
	perGroup := make([][]agg1Row, len(groups))
	var ids []results.Table1ID
	header := []string{"setting", "seeds"}
	for i, g := range groups {
		perGroup[i] = aggregate1(g.table1s())
		for _, row := range perGroup[i] {
			if !slices.Contains(ids, row.id) {
				ids, header = append(ids, row.id), append(header, row.name())
			}
		}
	}
	if len(ids) == 0 {
		s.para("Not run: no cell has `results/table1.json` yet.")
		return
	}
	s.para("Rows are the grid settings; each column is a method's MAE without attack, mean ± std across seeds.")
	t := tables.Generic{Header: header}
	for i, g := range groups {
		row := []string{g.setting, strconv.Itoa(len(g.table1s()))}
		for _, id := range ids {
			cell := results.Dash
			if k := slices.IndexFunc(perGroup[i], func(a agg1Row) bool { return a.id == id }); k >= 0 {
				cell = tables.PM(perGroup[i][k].mae, perGroup[i][k].std, 3)
			}
			row = append(row, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	s.table("", t)
}
