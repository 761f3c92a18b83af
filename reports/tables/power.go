package tables

import (
	"strconv"

	"github.com/segqa/segqa/harness/shared/results"
)

// Budget is Table 2's attacks with their budget per sample and ε, their
// time per sample and ε, and the share of pass/fail decisions (at
// FailBelow) each flips at each ε, its QC's flip rate: one line per row
// with quality-control figures.
func Budget(t results.Table2) Generic {
	g := Generic{
		Title:  "Table 2: budget, time and pass/fail decisions flipped (predicted Dice ≥ " + strconv.FormatFloat(t.FailBelow, 'g', -1, 64) + " passes)",
		Header: []string{"network & input", "attack", "queries", "s / sample"},
	}
	for _, e := range t.Epsilons() {
		g.Header = append(g.Header, "flips ε="+strconv.FormatFloat(e, 'g', -1, 64))
	}
	for _, r := range t.Rows {
		if r.QC != nil {
			g.Rows = append(g.Rows, append([]string{r.Input, r.Attack}, budgetCells(r, t.Epsilons())...))
		}
	}
	return g
}

// budgetTerminal is Budget for the terminal: rows named by their ID as in
// Table 2.
func budgetTerminal(t results.Table2) plain {
	p := plain{
		title: "Table 2: each attack's budget per sample and ε, its time per sample and ε, and the share of " +
			"pass/fail decisions it flips at each ε (predicted Dice ≥ " + strconv.FormatFloat(t.FailBelow, 'g', -1, 64) + " passes)",
		header: []string{"row", "queries", "s/sample"},
	}
	for _, e := range t.Epsilons() {
		p.header = append(p.header, "ε="+strconv.FormatFloat(e, 'g', -1, 64))
	}
	for _, r := range t.Rows {
		if r.QC != nil {
			p.rows = append(p.rows, append([]string{string(r.ID)}, budgetCells(r, t.Epsilons())...))
		}
	}
	return p
}

// budgetCells are a row's queries per sample, seconds per sample and flips
// at each of eps.
func budgetCells(r results.Table2Row, eps []float64) []string {
	cells := []string{results.Dash, results.Dash}
	if r.Queries > 0 {
		cells[0] = strconv.Itoa(r.Queries) + " " + oracleUnit(r.Oracle)
	}
	if r.Seconds > 0 {
		cells[1] = strconv.FormatFloat(r.Seconds, 'f', 3, 64)
	}
	for _, e := range eps {
		if j := r.EpsIndex(e); j >= 0 {
			cells = append(cells, num(r.QC[j].FlipRate))
		} else {
			cells = append(cells, results.Dash)
		}
	}
	return cells
}

func oracleUnit(oracle string) string {
	if oracle == results.OracleLoss {
		return "forward"
	}
	return "gradients"
}

// maskingTerminal is Masking for the terminal: the network by its method,
// the strongest gradient-free attack by its row ID as in Table 2, the
// power's source and the verdict in a word.
func maskingTerminal(ms []results.Masking) plain {
	p := plain{
		title: "Gradient masking: damage = MAE − clean MAE of the strongest gradient-free attack (free, by the row) and " +
			"of the strongest gradient attack; power = gradient-free damage / gradient damage on undefended networks",
		header: []string{"network", "ε", "free", "by", "gradient", "power", "power from", "masking"},
		keys:   2,
		notes: []string{"power from: this run's undefended networks, or the reference measured on those of quick.yaml; " +
			"masking: none detected, suspected, or inconclusive (the power below " + strconv.FormatFloat(results.MinPower, 'g', -1, 64) + ")."},
	}
	for _, m := range ms {
		by := string(m.FreeRow)
		if by == "" { // runs before rows had IDs
			by = m.FreeAttack
		}
		p.rows = append(p.rows, []string{
			m.Network.Method(), strconv.FormatFloat(m.Eps, 'g', -1, 64), Signed(m.FreeDamage, 3), by,
			Signed(m.GradientDamage, 3), num(m.Power), shortSource(m.PowerSource), shortVerdict(m.Verdict),
		})
	}
	return p
}

// shortSource is a masking check's power source in a word or two.
func shortSource(s string) string {
	switch s {
	case results.PowerThisRun:
		return "this run"
	case results.PowerQuickYAML:
		return "quick.yaml"
	}
	return s
}

// shortVerdict is a masking check's verdict in a word.
func shortVerdict(v string) string {
	switch v {
	case results.VerdictNoMasking:
		return "none"
	case results.VerdictMasking:
		return "suspected"
	case results.VerdictInconclusive:
		return "inconclusive"
	}
	return v
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
