package tables_test

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/segqa/segqa/reports/tables"
)

func claimsTable(x, d, tr []float64, clean float64, tie *tables.Tie) tables.Table2 {
	eps := []float64{0.1, 0.2, 0.3}
	row := func(attack string, mae []float64) tables.Table2Row {
		return tables.Table2Row{Method: "m", Input: "i", Attack: attack, Eps: eps, MAE: mae, Std: make([]float64, 3), N: 10, CleanMAE: clean, CleanStd: 0}
	}
	return tables.Table2{Tie: tie, Rows: []tables.Table2Row{
		row(tables.AttackX, x), row(tables.AttackD, d), row(tables.AttackTransfer, tr),
	}}
}

func holds(claims []tables.Claim) map[string]bool {
	out := map[string]bool{}
	for _, c := range claims {
		out[c.Claim] = c.Holds
	}
	return out
}

func TestClaims(t *testing.T) {
	tie := &tables.Tie{N: 10, BaselineMAE: 0.05, ProposedMAE: 0.051, P: 0.6}
	paperLike := claimsTable([]float64{0.1, 0.15, 0.2}, []float64{0.08, 0.1, 0.12}, []float64{0.06, 0.07, 0.09}, 0.05, tie)
	for claim, ok := range holds(paperLike.Claims()) {
		if !ok {
			t.Errorf("paper-like table: %q does not hold", claim)
		}
	}
	// segqa's Table 2 of issue 10: FGSM on d far worse than on x.
	inverted := claimsTable([]float64{0.17, 0.21, 0.26}, []float64{0.18, 0.46, 0.49}, []float64{0.08, 0.14, 0.24}, 0.07, &tables.Tie{N: 10, P: 0.01})
	got := holds(inverted.Claims())
	for claim, want := range map[string]bool{tables.ClaimTie: false, tables.ClaimFGSM: false, tables.ClaimTransfer: true, tables.ClaimMonotone: true} {
		if got[claim] != want {
			t.Errorf("inverted table: %q holds = %v, want %v", claim, got[claim], want)
		}
	}
	// A fall below the clean MAE at the first ε breaks monotonicity.
	falls := claimsTable([]float64{0.1, 0.15, 0.2}, []float64{0.08, 0.1, 0.12}, []float64{0.04, 0.07, 0.09}, 0.05, tie)
	if holds(falls.Claims())[tables.ClaimMonotone] {
		t.Error("a transfer MAE of 0.04 after a clean 0.05 passes as monotone")
	}
	// Without the clean MAE (older runs) only the attacked levels count.
	old := claimsTable([]float64{0.1, 0.15, 0.2}, []float64{0.08, 0.1, 0.12}, []float64{0.04, 0.07, 0.09}, math.NaN(), nil)
	h := holds(old.Claims())
	if !h[tables.ClaimMonotone] || h[tables.ClaimTie] {
		t.Errorf("older run: monotone %v (want true), tie %v (want false: not recorded)", h[tables.ClaimMonotone], h[tables.ClaimTie])
	}
	var b bytes.Buffer
	if err := tables.ClaimsMarkdown(&b, inverted.Claims()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "**does not hold**: Under FGSM") || !strings.Contains(b.String(), "ε=0.2: 0.460 ≥ 0.210") {
		t.Errorf("markdown claims:\n%s", b.String())
	}
}

func TestTable2JSONKeepsCleanAndTie(t *testing.T) {
	in := claimsTable([]float64{0.1, 0.15, 0.2}, []float64{0.08, 0.1, 0.12}, []float64{0.06, 0.07, 0.09}, 0.05, &tables.Tie{N: 10, BaselineMAE: 0.05, ProposedMAE: 0.06, P: 0.2})
	var b bytes.Buffer
	if err := in.JSON(&b); err != nil {
		t.Fatal(err)
	}
	out, err := tables.ReadTable2(&b)
	if err != nil {
		t.Fatal(err)
	}
	if out.Tie == nil || *out.Tie != *in.Tie || out.Rows[0].CleanMAE != 0.05 {
		t.Errorf("round trip lost the tie or the clean MAE: %+v %+v", out.Tie, out.Rows[0])
	}
	old, err := tables.ReadTable2(strings.NewReader(`{"rows":[{"method":"m","input":"i","attack":"a","eps":[0.1],"mae":[0.1],"std":[0.1],"n":1}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(old.Rows[0].CleanMAE) {
		t.Errorf("a file without clean_mae reads as %v, want NaN", old.Rows[0].CleanMAE)
	}
}
