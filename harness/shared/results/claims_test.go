package results_test

import (
	"bytes"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/testkit/golden"
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

func holds(claims []results.Claim) map[results.ClaimID]bool {
	out := map[results.ClaimID]bool{}
	for _, c := range claims {
		out[c.ID] = c.Holds
	}
	return out
}

// claim is t's claim id, or a failure.
func claim(t *testing.T, tab results.Table2, id results.ClaimID) results.Claim {
	t.Helper()
	c, ok := tab.Claim(id)
	if !ok {
		t.Fatalf("no claim %s in %+v", id, tab.Claims())
	}
	return c
}

func TestClaims(t *testing.T) {
	tie := &results.Tie{N: 10, BaselineMAE: 0.05, ProposedMAE: 0.051, P: 0.6}
	paperLike := claimsTable([]float64{0.1, 0.15, 0.2}, []float64{0.08, 0.1, 0.12}, []float64{0.06, 0.07, 0.09}, 0.05, tie)
	if got := len(paperLike.Claims()); got != len(results.ClaimIDs) {
		t.Fatalf("%d claims, want %d", got, len(results.ClaimIDs))
	}
	for _, id := range []results.ClaimID{results.ClaimFGSM, results.ClaimTransfer, results.ClaimMonotone} {
		if !holds(paperLike.Claims())[id] {
			t.Errorf("paper-like table: %s does not hold", id)
		}
	}
	// A Wilcoxon p above the level is no evidence of a tie; and a table
	// without per-sample predictions has no worst cases to pair.
	if c := claim(t, paperLike, results.ClaimTie); c.Holds || c.Verdict() != results.TieNotShown || !strings.Contains(c.Evidence, "no equivalence test") {
		t.Errorf("tie from a Wilcoxon p of 0.6: %+v, want not shown to tie", c)
	}
	if c := claim(t, paperLike, results.ClaimWorstX); c.Holds || !c.Unchecked || c.Verdict() != results.NotRecorded {
		t.Errorf("worst cases on x without per-sample predictions: %+v, want not recorded", c)
	}
	// segqa's Table 2 of issue 10: FGSM on d far worse than on x.
	inverted := claimsTable([]float64{0.17, 0.21, 0.26}, []float64{0.18, 0.46, 0.49}, []float64{0.08, 0.14, 0.24}, 0.07, &results.Tie{N: 10, P: 0.01})
	got := holds(inverted.Claims())
	for id, want := range map[results.ClaimID]bool{results.ClaimTie: false, results.ClaimFGSM: false, results.ClaimTransfer: true, results.ClaimMonotone: true} {
		if got[id] != want {
			t.Errorf("inverted table: %s holds = %v, want %v", id, got[id], want)
		}
	}
	if v := claim(t, inverted, results.ClaimTie).Verdict(); v != results.TieDiffer {
		t.Errorf("tie with a Wilcoxon p of 0.01: %q, want %q", v, results.TieDiffer)
	}
	// A fall below the clean MAE at the first ε breaks monotonicity.
	falls := claimsTable([]float64{0.1, 0.15, 0.2}, []float64{0.08, 0.1, 0.12}, []float64{0.04, 0.07, 0.09}, 0.05, tie)
	if holds(falls.Claims())[results.ClaimMonotone] {
		t.Error("a transfer MAE of 0.04 after a clean 0.05 passes as monotone")
	}
	// Without the clean MAE (older runs) only the attacked levels count.
	old := claimsTable([]float64{0.1, 0.15, 0.2}, []float64{0.08, 0.1, 0.12}, []float64{0.04, 0.07, 0.09}, math.NaN(), nil)
	h := holds(old.Claims())
	if !h[results.ClaimMonotone] || h[results.ClaimTie] || !claim(t, old, results.ClaimTie).Unchecked {
		t.Errorf("older run: monotone %v (want true), tie %+v (want not checked: not recorded)", h[results.ClaimMonotone], claim(t, old, results.ClaimTie))
	}
	fgsm := claim(t, inverted, results.ClaimFGSM)
	if fgsm.Claim != results.ClaimFGSM.Text() || fgsm.Threat != results.ThreatPaper || fgsm.Verdict() != "does not hold" || !strings.Contains(fgsm.Evidence, "ε=0.2: 0.460 ≥ 0.210") {
		t.Errorf("FGSM claim on the inverted table: %+v", fgsm)
	}
}

// errorsTable is a Table 2 at ε 0.1 and 0.2 whose stored predictions have,
// on eight samples of true Dice 0.5, the absolute errors base (per ε) for
// both baseline rows and prop for both proposed rows; clean errors of
// cleanBase and cleanProp when given.
func errorsTable(base, prop [][]float64, cleanBase, cleanProp []float64, margin float64) results.Table2 {
	eps := []float64{0.1, 0.2}
	n := len(base[0])
	truth := make([]float64, n)
	for i := range truth {
		truth[i] = 0.5
	}
	pred := func(errs []float64) []float64 {
		out := make([]float64, len(errs))
		for i, e := range errs {
			out[i] = 0.5 + e
		}
		return out
	}
	perEps := func(errs [][]float64) [][]float64 {
		out := make([][]float64, len(errs))
		for k, e := range errs {
			out[k] = pred(e)
		}
		return out
	}
	row := func(id results.RowID, errs [][]float64) results.Table2Row {
		r := id.Row()
		r.Eps, r.N, r.CleanMAE, r.CleanStd = eps, n, math.NaN(), math.NaN()
		for _, e := range errs {
			m, _ := mean(e)
			r.MAE, r.Std = append(r.MAE, m), append(r.Std, 0)
		}
		return r
	}
	s := &results.Samples{TrueDice: truth, Clean: map[results.Input][]float64{}, Rows: map[results.RowID][][]float64{
		results.RowBaselineFGSMx: perEps(base), results.RowProposedFGSMd: perEps(prop),
		results.RowBaselineWorstx: perEps(base), results.RowProposedWorstx: perEps(prop),
	}}
	if cleanBase != nil {
		s.Clean[results.InputXS], s.Clean[results.InputDS] = pred(cleanBase), pred(cleanProp)
	}
	return results.Table2{TieMargin: margin, Samples: s, Rows: []results.Table2Row{
		row(results.RowBaselineFGSMx, base), row(results.RowProposedFGSMd, prop),
		row(results.RowBaselineWorstx, base), row(results.RowProposedWorstx, prop),
	}}.WithClaims()
}

func mean(xs []float64) (float64, int) {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs)), len(xs)
}

// steps are the eight errors 0.3 − k·step, k = 1 … 8, or 0.3 + signs[k-1]·k·step.
func steps(step float64, signs ...float64) []float64 {
	out := make([]float64, 8)
	for k := range out {
		sign := -1.0
		if signs != nil {
			sign = signs[k]
		}
		out[k] = 0.3 + sign*float64(k+1)*step
	}
	return out
}

func flat(v float64) []float64 { return []float64{v, v, v, v, v, v, v, v} }

// TestWorstXClaim checks the realisable claim on hand-made errors. The
// baseline errs by 0.3 on every sample; the proposed pipeline by 0.01 to
// 0.08 less at ε 0.1 and 0.02 to 0.16 less at ε 0.2: Δ = −0.045 and −0.09.
// Eight negative differences of distinct size give the exact Wilcoxon p
// 2/2⁸ = 0.0078125 at each level, Holm over the two 0.015625; the t
// interval at ε 0.1 is −0.045 ± 2.364624 · 0.0244949 / √8 = [−0.065478,
// −0.024522]. With the signs at ε 0.2 alternating (the errors of k = 2, 4,
// 6, 8 larger) Δ is +0.005 and the rank sums 20 and 16: p = 2·P(W ≤ 16) =
// 2·108/256 = 0.84375, and the claim fails.
func TestWorstXClaim(t *testing.T) {
	near := func(x results.Number, want float64) bool { return math.Abs(float64(x)-want) < 1e-6 }
	better := errorsTable([][]float64{flat(0.3), flat(0.3)}, [][]float64{steps(0.01), steps(0.02)}, nil, nil, 0.01)
	c := claim(t, better, results.ClaimWorstX)
	if c.Threat != results.ThreatRealisable || c.Paired == nil || len(c.Paired.At) != 2 {
		t.Fatalf("realisable claim %+v", c)
	}
	a, b := c.Paired.At[0], c.Paired.At[1]
	if !near(a.Delta, -0.045) || !near(b.Delta, -0.09) || !near(a.P, 0.0078125) || !near(a.Holm, 0.015625) || !near(b.Holm, 0.015625) {
		t.Errorf("Δ %g and %g, p %g, Holm %g and %g; want -0.045, -0.09, 0.0078125, 0.015625 twice", a.Delta, b.Delta, a.P, a.Holm, b.Holm)
	}
	if !near(a.Lo, -0.065478) || !near(a.Hi, -0.024522) || a.N != 8 || !near(a.BaselineMAE, 0.3) || !near(a.ProposedMAE, 0.255) {
		t.Errorf("ε 0.1: %+v, want n 8, MAE 0.3 and 0.255, interval [-0.065478, -0.024522]", a)
	}
	if !c.Holds || c.Verdict() != "holds" || !strings.Contains(c.Evidence, "ε=0.1: Δ -0.045 [-0.065, -0.025], Holm p 0.0156") {
		t.Errorf("verdict %q, evidence %q", c.Verdict(), c.Evidence)
	}

	alternating := []float64{-1, 1, -1, 1, -1, 1, -1, 1}
	mixed := errorsTable([][]float64{flat(0.3), flat(0.3)}, [][]float64{steps(0.01), steps(0.01, alternating...)}, nil, nil, 0.01)
	c = claim(t, mixed, results.ClaimWorstX)
	a, b = c.Paired.At[0], c.Paired.At[1]
	if c.Holds || !near(b.Delta, 0.005) || !near(b.P, 0.84375) || !near(b.Holm, 0.84375) || !near(a.Holm, 0.015625) {
		t.Errorf("mixed signs at ε 0.2: holds %v, Δ %g, p %g, Holm %g (ε 0.1: %g); want false, 0.005, 0.84375, 0.84375, 0.015625",
			c.Holds, b.Delta, b.P, b.Holm, a.Holm)
	}
	// The paper's protocol is paired too, its verdict still the paper's
	// rule (MAE below at every ε).
	if f := claim(t, better, results.ClaimFGSM); f.Paired == nil || !f.Holds || f.Paired.Baseline != results.RowBaselineFGSMx || !near(f.Paired.At[1].Holm, 0.015625) {
		t.Errorf("FGSM claim %+v", f)
	}
}

// TestTieIsTested: the tie is an equivalence test on the per-sample
// absolute errors: equivalent within the margin is a tie, shifted well
// beyond it differ, a handful of noisy pairs are not shown to tie.
func TestTieIsTested(t *testing.T) {
	att := [][]float64{flat(0.3), flat(0.3)}
	wobble := func(base float64, amp float64) []float64 {
		out := make([]float64, 8)
		for i := range out {
			out[i] = base + amp*float64(i%3-1)
		}
		return out
	}
	cleanBase := []float64{0.05, 0.1, 0.15, 0.2, 0.05, 0.1, 0.15, 0.2}
	equiv := make([]float64, 8)
	shifted := make([]float64, 8)
	for i, e := range cleanBase {
		equiv[i] = e + 0.001*float64(i%3-1)
		shifted[i] = e + 0.05 + 0.001*float64(i%3-1)
	}
	for _, c := range []struct {
		name       string
		base, prop []float64
		margin     float64
		want       string
	}{
		{"equivalent", cleanBase, equiv, 0.01, results.TieShown},
		{"shifted by five margins", cleanBase, shifted, 0.01, results.TieDiffer},
		{"noisy", wobble(0.1, 0), wobble(0.1, 0.1), 0.01, results.TieNotShown},
		{"equivalent but the margin is too tight", cleanBase, equiv, 0.0005, results.TieNotShown},
	} {
		cl := claim(t, errorsTable(att, att, c.base, c.prop, c.margin), results.ClaimTie)
		eq := cl.Equivalence
		if eq == nil || eq.Test != results.EquivalenceTest || eq.Margin != c.margin || eq.Over != results.OverSamples || eq.N != 8 {
			t.Fatalf("%s: equivalence %+v", c.name, eq)
		}
		if cl.Verdict() != c.want || cl.Holds != (c.want == results.TieShown) {
			t.Errorf("%s: %q (holds %v), want %q; %s", c.name, cl.Verdict(), cl.Holds, c.want, cl.Evidence)
		}
	}
	// A table with per-sample predictions but no margin (none is written
	// so) takes the default.
	if eq := claim(t, errorsTable(att, att, cleanBase, equiv, 0), results.ClaimTie).Equivalence; eq.Margin != results.DefaultTieMargin {
		t.Errorf("margin %g, want the default %g", eq.Margin, results.DefaultTieMargin)
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

// TestSamplesRoundTrip: the per-sample predictions, the margin and the
// claims computed from them read back as written; predictions that do not
// match the rows are refused.
func TestSamplesRoundTrip(t *testing.T) {
	in := errorsTable([][]float64{flat(0.3), flat(0.3)}, [][]float64{steps(0.01), steps(0.02)}, flat(0.1), steps(0.001), 0.02)
	var b bytes.Buffer
	if err := in.JSON(&b); err != nil {
		t.Fatal(err)
	}
	out, err := results.ReadTable2(&b)
	if err != nil {
		t.Fatal(err)
	}
	if out.TieMargin != 0.02 || out.Samples == nil || len(out.Samples.Rows) != 4 || out.Samples.Clean[results.InputDS][7] != in.Samples.Clean[results.InputDS][7] {
		t.Errorf("round trip: margin %g, samples %+v", out.TieMargin, out.Samples)
	}
	var again bytes.Buffer
	if err := results.Claims(out.Claims()).JSON(&again); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := results.Claims(in.Claims()).JSON(&want); err != nil {
		t.Fatal(err)
	}
	if again.String() != want.String() {
		t.Errorf("claims read back differ:\n%s\nwant\n%s", again.String(), want.String())
	}
	bad := in
	bad.Samples = &results.Samples{TrueDice: []float64{0.5}, Rows: map[results.RowID][][]float64{results.RowBaselineWorstx: {{0.5}}}}
	if err := bad.JSON(&bytes.Buffer{}); !errors.Is(err, results.ErrShape) {
		t.Errorf("predictions at 1 ε for a row at 2: %v, want ErrShape", err)
	}
}

// TestClaimsAreReadBack: table2.json records the claims as they were
// checked when the table was computed, and a reader takes them as
// recorded; a file without claims (before segqa recorded them) has them
// checked once, on reading.
func TestClaimsAreReadBack(t *testing.T) {
	tab := claimsTable([]float64{0.1, 0.15, 0.2}, []float64{0.08, 0.1, 0.12}, []float64{0.06, 0.07, 0.09}, 0.05, nil)
	if len(tab.Claims()) != len(results.ClaimIDs) {
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
	if c := claim(t, got, results.ClaimTie); c.Evidence != "as recorded" {
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
	if h := holds(old.Claims()); len(h) != len(results.ClaimIDs) || !h[results.ClaimFGSM] {
		t.Errorf("claims checked on reading: %+v", old.Claims())
	}
}

// TestClaimsBeforeIDs: a file whose claims were recorded before claims had
// IDs (and before the tie was tested for equivalence) reads with IDs; the
// unchanged claims as recorded, the tie checked again from its Wilcoxon p,
// and the claim on the worst cases on x not recorded.
func TestClaimsBeforeIDs(t *testing.T) {
	const file = `{"rows":[{"id":"baseline_fgsm_x","method":"m","input":"i","attack":"FGSM on x","eps":[0.1],"mae":[0.1],"std":[0.1],"n":1},
	{"id":"proposed_fgsm_d","method":"m","input":"i","attack":"FGSM on d","eps":[0.1],"mae":[0.2],"std":[0.1],"n":1}],
	"tie":{"n":10,"baseline_mae":0.05,"proposed_mae":0.07,"wilcoxon_p":0.3},
	"claims":[{"claim":"Without attack the two methods tie","holds":true,"evidence":"no significant difference"},
	{"claim":"Under FGSM the proposed pipeline's MAE is below the baseline's at every ε (FGSM on d against FGSM on x)","holds":true,"evidence":"as recorded"}]}`
	got, err := results.ReadTable2(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]results.ClaimID, len(got.Claims()))
	for i, c := range got.Claims() {
		ids[i] = c.ID
	}
	if strings.Join(strs(ids), ",") != strings.Join(strs(results.ClaimIDs), ",") {
		t.Errorf("claims %v, want %v", ids, results.ClaimIDs)
	}
	if c := claim(t, got, results.ClaimFGSM); !c.Holds || c.Evidence != "as recorded" || c.Threat != results.ThreatPaper {
		t.Errorf("FGSM claim %+v, want as recorded, with its threat", c)
	}
	if c := claim(t, got, results.ClaimTie); c.Holds || c.Verdict() != results.TieNotShown {
		t.Errorf("old tie %+v, want not shown to tie", c)
	}
	if c := claim(t, got, results.ClaimWorstX); c.Verdict() != results.NotRecorded {
		t.Errorf("worst cases on x in an old run: %+v, want not recorded", c)
	}
}

func strs(ids []results.ClaimID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
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
	if c := claim(t, tab, results.ClaimTie); !strings.Contains(c.Evidence, "p = 3.20e-05") {
		t.Errorf("tie evidence %q", c.Evidence)
	}
}

// TestClaimsJSONGolden: the claims as results/table2.json records them,
// each with its ID, the realisable claim with Δ, interval, p and Holm p per
// ε, and the tie with its equivalence test and margin.
func TestClaimsJSONGolden(t *testing.T) {
	cleanProp := []float64{0.101, 0.099, 0.1, 0.102, 0.098, 0.1, 0.101, 0.099}
	tab := errorsTable([][]float64{flat(0.3), flat(0.3)}, [][]float64{steps(0.01), steps(0.01, -1, 1, -1, 1, -1, 1, -1, 1)}, flat(0.1), cleanProp, 0.01)
	var b bytes.Buffer
	if err := results.Claims(tab.Claims()).JSON(&b); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "claims.json.golden"), b.Bytes())
}
