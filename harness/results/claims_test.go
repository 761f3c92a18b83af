package results_test

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/results"
)

func claimsTable(x, d, tr []float64, clean float64, tie *results.Tie) results.Table2 {
	eps := []float64{0.1, 0.2, 0.3}
	row := func(id results.RowID, mae []float64) results.Table2Row {
		return results.Table2Row{ID: id, Method: "m", Input: "i", Attack: string(id), Eps: eps, MAE: mae, Std: make([]float64, 3), N: 10, CleanMAE: clean, CleanStd: 0}
	}
	return results.Table2{Tie: tie, Rows: []results.Table2Row{
		row(results.RowBaselineFGSMx, x), row(results.RowProposedFGSMd, d), row(results.RowProposedTransfer, tr),
	}}.WithClaims()
}

func holds(claims []results.Claim) map[string]bool {
	out := map[string]bool{}
	for _, c := range claims {
		out[c.Claim] = c.Holds
	}
	return out
}

func TestClaims(t *testing.T) {
	tie := &results.Tie{N: 10, BaselineMAE: 0.05, ProposedMAE: 0.051, P: 0.6}
	paperLike := claimsTable([]float64{0.1, 0.15, 0.2}, []float64{0.08, 0.1, 0.12}, []float64{0.06, 0.07, 0.09}, 0.05, tie)
	for claim, ok := range holds(paperLike.Claims()) {
		if !ok {
			t.Errorf("paper-like table: %q does not hold", claim)
		}
	}
	// segqa's Table 2 of issue 10: FGSM on d far worse than on x.
	inverted := claimsTable([]float64{0.17, 0.21, 0.26}, []float64{0.18, 0.46, 0.49}, []float64{0.08, 0.14, 0.24}, 0.07, &results.Tie{N: 10, P: 0.01})
	got := holds(inverted.Claims())
	for claim, want := range map[string]bool{results.ClaimTie: false, results.ClaimFGSM: false, results.ClaimTransfer: true, results.ClaimMonotone: true} {
		if got[claim] != want {
			t.Errorf("inverted table: %q holds = %v, want %v", claim, got[claim], want)
		}
	}
	// A fall below the clean MAE at the first ε breaks monotonicity.
	falls := claimsTable([]float64{0.1, 0.15, 0.2}, []float64{0.08, 0.1, 0.12}, []float64{0.04, 0.07, 0.09}, 0.05, tie)
	if holds(falls.Claims())[results.ClaimMonotone] {
		t.Error("a transfer MAE of 0.04 after a clean 0.05 passes as monotone")
	}
	// Without the clean MAE (older runs) only the attacked levels count.
	old := claimsTable([]float64{0.1, 0.15, 0.2}, []float64{0.08, 0.1, 0.12}, []float64{0.04, 0.07, 0.09}, math.NaN(), nil)
	h := holds(old.Claims())
	if !h[results.ClaimMonotone] || h[results.ClaimTie] {
		t.Errorf("older run: monotone %v (want true), tie %v (want false: not recorded)", h[results.ClaimMonotone], h[results.ClaimTie])
	}
	fgsm := inverted.Claims()[1]
	if fgsm.Claim != results.ClaimFGSM || fgsm.Verdict() != "does not hold" || !strings.Contains(fgsm.Evidence, "ε=0.2: 0.460 ≥ 0.210") {
		t.Errorf("FGSM claim on the inverted table: %+v", fgsm)
	}
}

func TestTable2JSONKeepsCleanAndTie(t *testing.T) {
	in := claimsTable([]float64{0.1, 0.15, 0.2}, []float64{0.08, 0.1, 0.12}, []float64{0.06, 0.07, 0.09}, 0.05, &results.Tie{N: 10, BaselineMAE: 0.05, ProposedMAE: 0.06, P: 0.2})
	var b bytes.Buffer
	if err := in.JSON(&b); err != nil {
		t.Fatal(err)
	}
	out, err := results.ReadTable2(&b)
	if err != nil {
		t.Fatal(err)
	}
	if out.Tie == nil || *out.Tie != *in.Tie || out.Rows[0].CleanMAE != 0.05 {
		t.Errorf("round trip lost the tie or the clean MAE: %+v %+v", out.Tie, out.Rows[0])
	}
	old, err := results.ReadTable2(strings.NewReader(`{"rows":[{"method":"m","input":"i","attack":"FGSM on x","eps":[0.1],"mae":[0.1],"std":[0.1],"n":1}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(old.Rows[0].CleanMAE) {
		t.Errorf("a file without clean_mae reads as %v, want NaN", old.Rows[0].CleanMAE)
	}
}

// TestClaimsAreReadBack: table2.json records the claims as they were
// checked when the table was computed, and a reader takes them as
// recorded; a file without claims (before segqa recorded them) has them
// checked once, on reading.
func TestClaimsAreReadBack(t *testing.T) {
	tab := claimsTable([]float64{0.1, 0.15, 0.2}, []float64{0.08, 0.1, 0.12}, []float64{0.06, 0.07, 0.09}, 0.05, nil)
	if len(tab.Claims()) != 4 {
		t.Fatalf("claims %+v", tab.Claims())
	}
	var b bytes.Buffer
	if err := tab.JSON(&b); err != nil {
		t.Fatal(err)
	}
	recorded := strings.Replace(b.String(), "no paired test recorded", "as recorded", 1)
	got, err := results.ReadTable2(strings.NewReader(recorded))
	if err != nil {
		t.Fatal(err)
	}
	if c := got.Claims()[0]; c.Evidence != "as recorded" {
		t.Errorf("the tie claim reads back as %+v, want the recorded evidence", c)
	}

	var unchecked bytes.Buffer
	if err := (results.Table2{Rows: tab.Rows}).JSON(&unchecked); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(unchecked.String(), `"claims"`) {
		t.Errorf("a table whose claims were never checked writes claims:\n%s", unchecked.String())
	}
	old, err := results.ReadTable2(&unchecked)
	if err != nil {
		t.Fatal(err)
	}
	if h := holds(old.Claims()); len(h) != 4 || !h[results.ClaimFGSM] {
		t.Errorf("claims checked on reading: %+v", old.Claims())
	}
}

// TestFormatP: three significant digits, scientific notation below 1e-4,
// a dash for NaN; the tie's evidence uses it.
func TestFormatP(t *testing.T) {
	for p, want := range map[float64]string{0.6: "0.6", 0.074180: "0.0742", 0.00123: "0.00123", 3.2e-5: "3.20e-05", 1: "1", math.NaN(): results.Dash} {
		if got := results.FormatP(p); got != want {
			t.Errorf("FormatP(%g) = %q, want %q", p, got, want)
		}
	}
	tab := claimsTable([]float64{0.1, 0.15, 0.2}, []float64{0.08, 0.1, 0.12}, []float64{0.06, 0.07, 0.09}, 0.05, &results.Tie{N: 10, P: 3.2e-5})
	if c := tab.Claims()[0]; !strings.Contains(c.Evidence, "p = 3.20e-05") {
		t.Errorf("tie evidence %q", c.Evidence)
	}
}
