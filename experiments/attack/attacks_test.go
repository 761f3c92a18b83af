package attack_test

import (
	"testing"

	"github.com/segqa/segqa/experiments/attack"
	"github.com/segqa/segqa/harness/shared/results"
)

// TestPGDStepRule: a step size is a fraction of eps; 0 is Madry et al.'s
// 2.5 eps / steps, computed as 2.5 * eps / steps so that runs before the
// rule was shared keep their numbers.
func TestPGDStepRule(t *testing.T) {
	for _, c := range []struct {
		pgd  attack.PGD
		eps  float64
		want float64
	}{
		{attack.PGD{Steps: 10}, 0.1, 2.5 * 0.1 / 10},
		{attack.PGD{Steps: 3}, 0.3, 2.5 * 0.3 / 3},
		{attack.PGD{Steps: 1}, 0.05, 2.5 * 0.05},
		{attack.PGD{Steps: 10, StepSize: 0.25}, 0.2, 0.25 * 0.2},
		{attack.PGD{Steps: 5}, 0, 0},
	} {
		if got := c.pgd.StepAt(c.eps); got != c.want {
			t.Errorf("%+v at eps %g: step %v, want %v", c.pgd, c.eps, got, c.want)
		}
	}
}

// TestBudgets: each attack's queries per sample and ε, and what it queries.
func TestBudgets(t *testing.T) {
	apgd := attack.APGD{Steps: 10, Restarts: 2}
	for _, c := range []struct {
		a       attack.Attack
		queries int
		oracle  string
	}{
		{attack.FGSM{}, 1, results.OracleGradient},
		{attack.PGD{Steps: 3, Restarts: 2}, 6, results.OracleGradient},
		{attack.PGD{Steps: 3}, 3, results.OracleGradient},
		{apgd, 20, results.OracleGradient},
		{attack.Threshold{APGD: apgd, FailBelow: 0.7}, 20, results.OracleGradient},
		{attack.Square{Queries: 50}, 50, results.OracleLoss},
		{attack.SignHunter{Queries: 100}, 100, results.OracleLoss},
	} {
		if q, o := c.a.Budget(); q != c.queries || o != c.oracle {
			t.Errorf("%s %+v: budget %d %s, want %d %s", c.a.Name(), c.a, q, o, c.queries, c.oracle)
		}
	}
	if (attack.Threshold{}).Name() == apgd.Name() {
		t.Error("the threshold attack shares APGD's name, and so its random stream")
	}
}
