package report

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/reports/tables"
)

// adversarialKey is the setting that says whether a cell's REG-Nets were
// trained against attacks; "none" is the undefended counterpart.
const (
	adversarialKey = "regnet.adversarial"
	undefended     = "none"
)

// counterpart returns the cell of the sweep trained without defence that
// c is compared with: the same seed and the same settings but
// regnet.adversarial none. It returns false when c is itself undefended
// or the sweep has no such cell.
func counterpart(c sweepCell, groups []*group) (sweepCell, bool) {
	if v, ok := c.values[adversarialKey]; !ok || v == undefended {
		return sweepCell{}, false
	}
	want := maps.Clone(c.values)
	want[adversarialKey] = undefended
	for _, g := range groups {
		for _, o := range g.cells {
			if o.seed == c.seed && o.run.table2 != nil && maps.Equal(o.values, want) {
				return o, true
			}
		}
	}
	return sweepCell{}, false
}

// pairedMasking is the masking checks of cell c, each judged with the
// power of the same check on c's undefended counterpart when the sweep
// has it (the run itself could only use the reference measured on
// quick.yaml), else as the run judged it.
func pairedMasking(c sweepCell, groups []*group) []results.Masking {
	ms := slices.Clone(c.run.table2.Masking)
	u, ok := counterpart(c, groups)
	if !ok {
		return ms
	}
	for i, m := range ms {
		for _, um := range u.run.table2.Masking {
			if um.Network == m.Network && um.FreeRow == m.FreeRow && results.RoundEps(um.Eps) == results.RoundEps(m.Eps) {
				ms[i] = m.Against(um, results.PowerFromCell(u.name))
				break
			}
		}
	}
	return ms
}

// maskingSweepSection gives, per setting, network and ε, the
// gradient-masking checks over seeds: the damages' mean ± std, the power
// and how many seeds gave each verdict. A defended cell is judged with
// the power measured on the same seed's undefended cell when the sweep
// has one. A sweep without gradient-free attacks has no section.
func maskingSweepSection(r *Report, groups []*group) {
	type key struct {
		setting string
		network results.Input
		eps     float64
	}
	var keys []key
	per := map[key][]results.Masking{}
	for _, g := range groups {
		for _, c := range g.cells {
			if c.run.table2 == nil {
				continue
			}
			for _, m := range pairedMasking(c, groups) {
				k := key{g.setting, m.Network, results.RoundEps(m.Eps)}
				if _, ok := per[k]; !ok {
					keys = append(keys, k)
				}
				per[k] = append(per[k], m)
			}
		}
	}
	if len(keys) == 0 {
		return
	}
	s := r.add("masking", "Gradient masking per setting", 2)
	s.para("The check against gradient masking of every cell, mean ± std over seeds: the damage (MAE − clean MAE) of the strongest gradient-free attack and of the strongest gradient attack on the same tensor, and the gradient-free attack's power (its damage over the gradient attacks' on undefended networks; \"no masking detected\" needs at least %g). "+
		"A cell trained against attacks is judged with the power measured on the cell of the same seed and settings with %s=%s when the sweep has it; otherwise with the power its run recorded. "+
		"A network that only hides its gradient suffers more from the gradient-free attack than from the gradient attacks.", results.MinPower, adversarialKey, undefended)
	t := tables.Generic{Header: []string{"setting", "network", "ε", "seeds", "gradient-free damage", "gradient damage", "power", "power from", "verdicts"}}
	for _, k := range keys {
		ms := per[k]
		field := func(f func(results.Masking) float64) string {
			xs := make([]float64, len(ms))
			for i, m := range ms {
				xs[i] = f(m)
			}
			return overSeeds(xs)
		}
		t.Rows = append(t.Rows, []string{
			k.setting, k.network.Name(), strconv.FormatFloat(k.eps, 'g', -1, 64), strconv.Itoa(len(ms)),
			field(func(m results.Masking) float64 { return m.FreeDamage }),
			field(func(m results.Masking) float64 { return m.GradientDamage }),
			field(func(m results.Masking) float64 { return m.Power }),
			powerSources(ms), verdictCounts(ms),
		})
	}
	s.table("Gradient masking per setting, network and ε", t)
}

// powerSources names where the checks' power came from, the sweep's
// cells by their common name.
func powerSources(ms []results.Masking) string {
	var out []string
	for _, m := range ms {
		src := m.PowerSource
		if strings.HasPrefix(src, results.PowerFromCell("")) {
			src = "the same seed's " + adversarialKey + "=" + undefended + " cell"
		}
		if !slices.Contains(out, src) {
			out = append(out, src)
		}
	}
	return strings.Join(out, "; ")
}

// verdictCounts is how many checks gave each verdict, in the order of
// their first appearance: "no masking detected (3 of 3)".
func verdictCounts(ms []results.Masking) string {
	var order []string
	n := map[string]int{}
	for _, m := range ms {
		if n[m.Verdict] == 0 {
			order = append(order, m.Verdict)
		}
		n[m.Verdict]++
	}
	parts := make([]string, len(order))
	for i, v := range order {
		parts[i] = fmt.Sprintf("%s (%d of %d)", v, n[v], len(ms))
	}
	return strings.Join(parts, "; ")
}
