package report

import (
	"math"
	"slices"
	"strconv"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/reports/tables"
)

// certifieds collects the certified tables of the cells that have them.
func (g *group) certifieds() (ts []results.Certified) {
	for _, c := range g.cells {
		if c.run.certified != nil {
			ts = append(ts, *c.run.certified)
		}
	}
	return ts
}

// overSeeds is the mean ± std across seeds of one figure, three
// decimals; NaN figures (every sample abstained) are left out.
func overSeeds(xs []float64) string {
	xs = slices.DeleteFunc(slices.Clone(xs), math.IsNaN)
	if len(xs) == 0 {
		return results.Dash
	}
	m, s := acrossSeeds(xs)
	return tables.PM(m, s, 3)
}

// certifiedOver is a setting's certified tables over seeds: per method
// (by input), σ and radius, the mean ± std across seeds of each figure,
// the setting named in the first column.
func certifiedOver(setting string, ts []results.Certified) [][]string {
	type key struct {
		input         results.Input
		sigma, radius float64
	}
	var keys []key
	labels := map[key]string{}
	per := map[key][]results.CertifiedRow{}
	for _, t := range ts {
		for _, r := range t.Rows {
			k := key{r.Input, r.Sigma, r.Radius}
			if _, ok := per[k]; !ok {
				keys = append(keys, k)
				labels[k] = r.Method
			}
			per[k] = append(per[k], r)
		}
	}
	var rows [][]string
	for _, k := range keys {
		rs := per[k]
		field := func(f func(results.CertifiedRow) results.Number) string {
			xs := make([]float64, len(rs))
			for i, r := range rs {
				xs[i] = float64(f(r))
			}
			return overSeeds(xs)
		}
		rows = append(rows, []string{setting, labels[k], tables.Fixed(k.sigma, 2), strconv.FormatFloat(k.radius, 'g', -1, 64), strconv.Itoa(len(rs)),
			field(func(r results.CertifiedRow) results.Number { return r.SmoothedMAE }),
			field(func(r results.CertifiedRow) results.Number { return r.ErrorBound }),
			field(func(r results.CertifiedRow) results.Number { return r.Decisions }),
			field(func(r results.CertifiedRow) results.Number { return r.CorrectDecisions }),
			field(func(r results.CertifiedRow) results.Number { return r.Abstain }),
		})
	}
	return rows
}

// certifiedSweepSection compares the settings' certified Dice, mean ± std
// over seeds; a sweep without the certify stage has no section.
func certifiedSweepSection(r *Report, groups []*group) {
	t := tables.Generic{Header: []string{"setting", "method", "σ", "radius", "seeds", "smoothed MAE", "certified error bound", "certified decisions", "certified and correct", "abstain"}}
	for _, g := range groups {
		t.Rows = append(t.Rows, certifiedOver(g.setting, g.certifieds())...)
	}
	if len(t.Rows) == 0 {
		return
	}
	s := r.add("certified", "Certified Dice per setting", 2)
	s.para("Each setting's results/certified.json, mean ± std across seeds, per method, smoothing σ and L2 radius: " +
		"the MAE of the smoothed prediction without attack, the mean certified error bound (over the samples that do not abstain), " +
		"the share of samples whose pass/fail decision is certified, the share certified and correct, and the share that abstain. " +
		"Table 1's MAE per setting (the section above) is the clean cost of the training each setting uses.")
	s.table("", t)
}
