package experiments

import (
	"math"
	"testing"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/shared/results"
)

// maskingTable is Table 2 with one ε where every row of attackSpecs has
// the MAE mae[its ID] (clean MAE 0.1), and the rows beside it.
func maskingTable(mae map[results.RowID]float64) ([]*attackRow, results.Table2) {
	var rows []*attackRow
	var t results.Table2
	for _, spec := range attackSpecs(config.Default().Attack, 0.7) {
		rows = append(rows, &attackRow{attackSpec: spec, own: true})
		m, ok := mae[spec.id]
		if !ok {
			m = 0.1
		}
		row := spec.id.Row()
		row.Eps, row.MAE, row.Std, row.CleanMAE = []float64{0.1}, []float64{m}, []float64{0}, 0.1
		t.Rows = append(t.Rows, row)
	}
	return rows, t
}

// TestMaskingChecksCompareLikeWithLike: the check of a network weighs its
// strongest gradient-free row against its strongest gradient attack on the
// same tensor; the threshold attack and the transferred FGSM stay out, and
// a defended run without a reference has no power.
func TestMaskingChecksCompareLikeWithLike(t *testing.T) {
	cfg := config.Default()
	cfg.Attack.Eps = []float64{0.1}
	rows, tab := maskingTable(map[results.RowID]float64{
		results.RowBaselineFGSMx: 0.2, results.RowBaselineAPGDx: 0.3, results.RowBaselineHuntx: 0.25, results.RowBaselineSquarex: 0.12,
		results.RowBaselineThresholdx: 0.9,                                 // aims elsewhere: not a gradient attack on the error
		results.RowProposedAPGDx:      0.2, results.RowProposedHuntx: 0.35, // the gradient-free attack wins: masking
		results.RowProposedTransfer: 0.9, results.RowProposedFGSMd: 0.9, // other tensors
	})
	got := maskingChecks(rows, tab, cfg.Attack.Eps, true)
	if len(got) != 2 {
		t.Fatalf("%d checks, want one per network: %+v", len(got), got)
	}
	base, prop := got[0], got[1]
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	if base.Network != results.InputXS || base.FreeRow != results.RowBaselineHuntx || base.FreeAttack != results.AttackHuntX || !near(base.FreeDamage, 0.15) || !near(base.GradientDamage, 0.2) ||
		!near(base.Power, 0.75) || base.Verdict != results.VerdictNoMasking {
		t.Errorf("baseline: %s", base.Evidence())
	}
	if prop.Network != results.InputDS || !near(prop.FreeDamage, 0.25) || !near(prop.GradientDamage, 0.1) || prop.Verdict != results.VerdictMasking {
		t.Errorf("proposed: %s", prop.Evidence())
	}

	// A defended run measures no power on itself: it takes quick.yaml's,
	// and without one for its ε and attack it cannot conclude.
	rows, tab = maskingTable(map[results.RowID]float64{results.RowBaselineAPGDx: 0.12, results.RowBaselineHuntx: 0.11})
	m := maskingChecks(rows, tab, cfg.Attack.Eps, false)[0]
	ref, hasRef := results.ReferencePower(results.InputXS, results.RowBaselineHuntx, 0.1)
	switch {
	case m.PowerSource == results.PowerThisRun:
		t.Errorf("defended baseline measured its own power: %s", m.Evidence())
	case !hasRef && m.Verdict != results.VerdictInconclusive:
		t.Errorf("defended baseline without a reference: %s", m.Evidence())
	case hasRef && (m.PowerSource != results.PowerQuickYAML || !near(m.UndefendedFreeDamage, ref.FreeDamage)):
		t.Errorf("defended baseline with a reference: %s", m.Evidence())
	}
}
