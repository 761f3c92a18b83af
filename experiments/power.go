package experiments

import (
	"math"

	"github.com/segqa/segqa/experiments/attack"
	"github.com/segqa/segqa/harness/shared/results"
)

// gradientFree reports the attacks that use the loss alone.
func gradientFree(a attack.Attack) bool {
	_, oracle := a.Budget()
	return oracle == results.OracleLoss
}

// aimsElsewhere reports the attacks that do not raise the error of the
// predicted Dice: the threshold attack pushes it across eval.fail_below.
func aimsElsewhere(a attack.Attack) bool {
	_, ok := a.(attack.Threshold)
	return ok
}

// evenlySpaced returns n samples of pool spread evenly over it (the pool
// is in slice order), or pool itself when n is 0 or not below its size.
func evenlySpaced(pool *Pool, n int) *Pool {
	if n <= 0 || n >= pool.Len() {
		return pool
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i * pool.Len() / n
	}
	return pool.reorder(order)
}

// addBudget fills row's budget and time from r; the decisions it flips
// are its QC's (see table2QC).
func addBudget(row *results.Table2Row, r *attackRow) {
	if r.own { // the worst-case rows run no attack of their own
		row.Queries, row.Oracle = r.attack.Budget()
		if n := float64(row.N * len(row.Eps)); n > 0 {
			row.Seconds = r.seconds / n
		}
	}
}

// maskingChecks is the gradient-masking check of each network at each ε of
// t, when the run has a gradient-free attack: on x for the baseline, on x
// through REC-Net for the proposed pipeline. The gradient attacks are those
// on the same tensor (FGSM, PGD, APGD); the threshold attack, which aims
// elsewhere, and the transferred ones are left out. Undefended networks
// (regnet.adversarial none) give their own power; defended ones take the
// power measured on quick.yaml (results.ReferencePower).
func maskingChecks(rows []*attackRow, t results.Table2, eps []float64, undefended bool) []results.Masking {
	var out []results.Masking
	for _, net := range []tensorAttacked{baselineX, proposedX} {
		input := net.network()
		for k, e := range eps {
			m := results.Masking{Network: input, Eps: e, FreeDamage: math.Inf(-1), GradientDamage: math.Inf(-1)}
			for _, r := range rows {
				row := t.Row(r.id)
				if !r.own || r.source != net || r.eval != net || row == nil {
					continue
				}
				damage := row.MAE[k] - row.CleanMAE
				switch {
				case gradientFree(r.attack) && damage > m.FreeDamage:
					m.FreeDamage, m.FreeRow, m.FreeAttack = damage, row.ID, row.Attack
				case !gradientFree(r.attack) && !aimsElsewhere(r.attack):
					m.GradientDamage = max(m.GradientDamage, damage)
				}
			}
			if m.FreeRow == "" || math.IsInf(m.GradientDamage, -1) {
				continue
			}
			if undefended {
				m = m.Against(m, results.PowerThisRun)
			} else if ref, ok := results.ReferencePower(input, m.FreeRow, e); ok {
				m = m.Against(ref, results.PowerQuickYAML)
			} else {
				m.Judge() // no power known: at most "masking suspected"
			}
			out = append(out, m)
		}
	}
	return out
}
