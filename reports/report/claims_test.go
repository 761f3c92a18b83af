package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/shared/results"
)

// TestRunClaimsPaired: a run that stored its per-sample predictions gets,
// in its claims section, the paper's protocol beside the threat an
// attacker can realise, each labelled, with the paired comparison at every
// ε, and its tie tested for equivalence.
func TestRunClaimsPaired(t *testing.T) {
	dir := copyDir(t, filepath.Join("testdata", "run"))
	path := filepath.Join(dir, filepath.FromSlash(results.Table2File))
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t2, err := results.ReadTable2(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	t2 = withSamples(t2, 50)
	var b bytes.Buffer
	if err := t2.WithClaims().JSON(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Build(dir)
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	if err := r.Markdown(&md); err != nil {
		t.Fatal(err)
	}
	doc := md.String()
	for _, want := range []string{
		"(the paper's protocol): Under FGSM",
		"(the threat an attacker can realise): Under the attacks on x, end to end",
		"| realisable | 0.3 | 50 |",
		"| paper | 0.05 | 50 |",
		"TOST p = ",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("the run report lacks %q", want)
		}
	}
}

// withSamples gives t the worst-case rows on x and made-up per-sample
// predictions on n samples: the proposed pipeline's worst case errs less
// than the baseline's, FGSM on d more than FGSM on x.
func withSamples(t results.Table2, n int) results.Table2 {
	x := t.Row(results.RowBaselineFGSMx)
	for _, id := range []results.RowID{results.RowBaselineWorstx, results.RowProposedWorstx} {
		r := id.Row()
		r.Eps, r.MAE, r.Std, r.N = x.Eps, x.MAE, x.Std, x.N
		t.Rows = append(t.Rows, r)
	}
	truth, base, prop := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range truth {
		truth[i] = 0.3 + 0.01*float64(i)
		base[i] = truth[i] + 0.05 + 0.001*float64(i%7)
		prop[i] = truth[i] + 0.05 + 0.001*float64(i%5)
	}
	perEps := func(shift float64) [][]float64 {
		out := make([][]float64, len(x.Eps))
		for k, e := range x.Eps {
			out[k] = make([]float64, n)
			for i := range out[k] {
				out[k][i] = truth[i] + 0.1 + e + shift*float64(1+i%3)
			}
		}
		return out
	}
	t.Samples = &results.Samples{TrueDice: truth,
		Clean: map[results.Input][]float64{results.InputXS: base, results.InputDS: prop},
		Rows: map[results.RowID][][]float64{
			results.RowBaselineFGSMx: perEps(0), results.RowProposedFGSMd: perEps(0.02),
			results.RowBaselineWorstx: perEps(0.03), results.RowProposedWorstx: perEps(0),
		}}
	t.TieMargin = 0.01
	return t
}
