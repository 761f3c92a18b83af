package tables

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/shared/results"
)

// TestBudgetFlipsAreTheQCFlipRate: the budget table's flips at each ε are
// the row's QC flip rate, one line per row with quality-control figures;
// a table2.json with the older "flips" list reads the same numbers from
// flip_rate.
func TestBudgetFlipsAreTheQCFlipRate(t *testing.T) {
	old := `{"fail_below": 0.7, "rows": [
	  {"method": "m", "input": "x_adv, s", "attack": "PGD on x", "eps": [0.1, 0.2], "mae": [0.2, 0.3], "std": [0, 0], "n": 4,
	   "queries": 10, "oracle": "gradient", "flips": [0.25, 0.5], "flip_rate": [0.25, 0.5]},
	  {"method": "m", "input": "x_adv, s", "attack": "FGSM on x", "eps": [0.1, 0.2], "mae": [0.2, 0.3], "std": [0, 0], "n": 4}]}`
	tab, err := results.ReadTable2(strings.NewReader(old))
	if err != nil {
		t.Fatal(err)
	}
	if !tab.HasBudget() {
		t.Fatal("a table with queries has no budget")
	}
	g := Budget(tab)
	want := [][]string{{"x_adv, s", "PGD on x", "10 gradients", results.Dash, "0.25", "0.50"}}
	if !slices.EqualFunc(g.Rows, want, slices.Equal) {
		t.Errorf("budget rows %q, want %q", g.Rows, want)
	}
}

// TestNumberFormats: the one way tables and reports write a number, a
// mean ± std and a difference.
func TestNumberFormats(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Fixed(0.12345, 3), "0.123"}, {Fixed(math.NaN(), 2), results.Dash},
		{PM(0.1, 0.02, 2), "0.10 ± 0.02"}, {PM(0.1, math.NaN(), 3), "0.100"}, {PM(math.NaN(), 0.1, 2), results.Dash},
		{Signed(0.0123, 3), "+0.012"}, {Signed(-0.0123, 4), "-0.0123"}, {Signed(0, 3), "+0.000"}, {Signed(math.NaN(), 4), results.Dash},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
