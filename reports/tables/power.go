package tables

import (
	"strconv"

	"github.com/segqa/segqa/harness/results"
)

// Budget is Table 2's attacks with their budget per sample and ε, their
// time per sample and ε, and the share of pass/fail decisions (at
// FailBelow) each flips at each ε, its QC's flip rate: one line per row
// with quality-control figures.
func Budget(t results.Table2) Generic {
	eps := t.Epsilons()
	g := Generic{
		Title:  "Table 2: budget, time and pass/fail decisions flipped (predicted Dice ≥ " + strconv.FormatFloat(t.FailBelow, 'g', -1, 64) + " passes)",
		Header: []string{"network & input", "attack", "queries", "s / sample"},
	}
	for _, e := range eps {
		g.Header = append(g.Header, "flips ε="+strconv.FormatFloat(e, 'g', -1, 64))
	}
	for _, r := range t.Rows {
		if r.QC == nil {
			continue
		}
		row := []string{r.Input, r.Attack, results.Dash, results.Dash}
		if r.Queries > 0 {
			row[2] = strconv.Itoa(r.Queries) + " " + oracleUnit(r.Oracle)
		}
		if r.Seconds > 0 {
			row[3] = strconv.FormatFloat(r.Seconds, 'f', 3, 64)
		}
		for _, e := range eps {
			if j := r.EpsIndex(e); j >= 0 {
				row = append(row, num(r.QC[j].FlipRate))
			} else {
				row = append(row, results.Dash)
			}
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}

func oracleUnit(oracle string) string {
	if oracle == results.OracleLoss {
		return "forward"
	}
	return "gradients"
}

// Masking is the gradient-masking check of each network at each ε: the
// damage (MAE minus clean MAE) of the strongest gradient-free and gradient
// attacks, the power of the gradient-free attack on undefended networks,
// and the verdict.
func Masking(ms []results.Masking) Generic {
	g := Generic{
		Title:  "Gradient masking: damage = MAE − clean MAE; power = gradient-free damage / gradient damage on undefended networks (at least " + strconv.FormatFloat(results.MinPower, 'g', -1, 64) + " for a verdict)",
		Header: []string{"network", "ε", "gradient-free damage", "gradient damage", "power", "power from", "verdict"},
	}
	for _, m := range ms {
		g.Rows = append(g.Rows, []string{
			m.Network.Name(), strconv.FormatFloat(m.Eps, 'g', -1, 64),
			Signed(m.FreeDamage, 3) + "\n" + m.FreeAttack, Signed(m.GradientDamage, 3),
			num(m.Power), m.PowerSource, m.Verdict,
		})
	}
	return g
}
