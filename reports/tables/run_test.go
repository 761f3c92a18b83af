package tables

import (
	"bufio"
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/testkit/golden"
)

// wideEps are the ε of wideRun: six levels, two more than the configs'.
var wideEps = []float64{0.02, 0.05, 0.1, 0.2, 0.3, 0.5}

// wideRows are every Table 2 row segqa computes, attack.strong's and the
// agreement baseline's included.
var wideRows = []results.RowID{
	results.RowBaselineFGSMx, results.RowProposedFGSMd, results.RowProposedTransfer,
	results.RowBaselinePGDx, results.RowProposedFGSMx, results.RowProposedPGDx,
	results.RowBaselineAPGDx, results.RowProposedAPGDx, results.RowBaselineSquarex, results.RowProposedSquarex,
	results.RowBaselineHuntx, results.RowProposedHuntx, results.RowBaselineThresholdx, results.RowProposedThresholdx,
	results.RowBaselineWorstx, results.RowProposedWorstxd, results.RowProposedWorstx,
	results.RowAgreementFGSMx, results.RowAgreementPGDx, results.RowSegmentationNone,
}

// wideRun writes into dir/results a run as wide as segqa makes them, of
// made-up figures: Table 1 with every kind of row, its quality control
// (with the coverage's intervals, per group, and on eval.band) and input
// sensitivity; Table 2 with every row at six ε, its quality
// control, budgets, spreads, masking checks and the per-sample predictions
// its claims pair; and certified decisions.
func wideRun(t *testing.T, dir string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(40, 1))
	u := func(lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }
	qc := func(attacked bool) results.QC {
		q := results.QC{AUROC: u(0.5, 1), AUPRC: u(0.3, 1), AURC: u(0.1, 0.3), AURCOptimal: u(0.05, 0.1),
			MissedFailures: u(0, 0.3), Coverage: u(0.1, 0.95), IntervalWidth: u(0.1, 0.3), HalfWidth: u(0.05, 0.15),
			Band: &results.BandQC{Lo: 0.5, Hi: 0.9, N: 120, Failures: 41, AUROC: u(0.5, 1), AURC: u(0.1, 0.3),
				AURCOptimal: u(0.05, 0.1), MissedFailures: u(0, 0.5)}}
		if attacked {
			q.FlipRate = u(0, 0.4)
			return q
		}
		q.CoverageCI = &results.CI{Lo: q.Coverage - u(0, 0.1), Hi: q.Coverage + u(0, 0.1)}
		for _, g := range []string{"DCM", "HCM", "MINF", "NOR", "RV"} {
			q.Groups = append(q.Groups, results.GroupCoverage{Group: g, Samples: 100, Patients: 2, Coverage: u(0.5, 1),
				CI: results.CI{Lo: u(0.3, 0.5), Hi: u(0.9, 1)}, HalfWidth: u(0.05, 0.15)})
		}
		return q
	}

	t1 := results.Table1{}
	for _, in := range results.Inputs {
		q := qc(false)
		r := results.Table1Row{ID: in.Table1ID(), Method: in.Method(), Input: in.Channels(), MAE: u(0.03, 0.08), Std: u(0.04, 0.1),
			N: 500, Pearson: u(0.8, 1), Accuracy07: u(0.8, 1), QC: &q}
		if img := in.ImageInputs(); img != "" {
			s := results.NewSensitivity(img, []float64{0.2, 0.8, 0.5}, []float64{0.25, 0.75, 0.5},
				[]float64{u(0, 1), u(0, 1), u(0, 1)}, []float64{u(0, 1), u(0, 1), u(0, 1)}, 0.03)
			r.Sensitivity = &s
		}
		t1.Rows = append(t1.Rows, r)
	}
	q := qc(false)
	t1.Rows = append(t1.Rows, results.Table1Row{ID: results.Table1Agreement, Method: results.MethodAgreement,
		Input: "x, s (vote of 5 U-Nets)", MAE: 0.081, Std: 0.092, N: 500, Pearson: 0.81, Accuracy07: 0.86, QC: &q})
	t1 = t1.WithPaper(results.PaperTable1())

	const n = 40
	samples := &results.Samples{TrueDice: make([]float64, n), Clean: map[results.Input][]float64{}, Rows: map[results.RowID][][]float64{}}
	for i := range samples.TrueDice {
		samples.TrueDice[i] = u(0.2, 0.95)
	}
	around := func(spread float64) []float64 {
		p := make([]float64, n)
		for i, d := range samples.TrueDice {
			p[i] = d + u(-spread, spread)
		}
		return p
	}
	samples.Clean[results.InputXS], samples.Clean[results.InputDS] = around(0.1), around(0.1)
	t2 := results.Table2{FailBelow: 0.7, TieMargin: 0.01, Samples: samples,
		Spreads: []results.Spread{results.NewSpread(results.SpreadX, 0.652, wideEps), results.NewSpread(results.SpreadD, 0.326, wideEps)}}
	for k, id := range wideRows {
		r := id.Row()
		r.Eps, r.N, r.CleanMAE, r.CleanStd = wideEps, n, u(0.03, 0.08), u(0.04, 0.1)
		cq := qc(false)
		r.CleanQC = &cq
		r.Queries, r.Oracle, r.Seconds = 1+k%3*50, results.OracleGradient, u(0, 2)
		if k%4 == 1 {
			r.Oracle, r.Seconds = results.OracleLoss, 0
		}
		for j := range wideEps {
			r.MAE, r.Std, r.QC = append(r.MAE, u(0.05, 0.5)), append(r.Std, u(0.05, 0.3)), append(r.QC, qc(true))
			if slices.Contains(results.SampledRows, id) {
				samples.Rows[id] = append(samples.Rows[id], around(0.05+0.1*float64(j)))
			}
		}
		t2.Rows = append(t2.Rows, r)
	}
	for _, in := range []results.Input{results.InputXS, results.InputDS} {
		for _, e := range wideEps[1:] {
			m := results.Masking{Network: in, Eps: e, FreeRow: results.RowBaselineHuntx, FreeAttack: results.AttackHuntX,
				FreeDamage: u(0, 0.2), GradientDamage: u(0, 0.3)}
			if in == results.InputDS {
				m.FreeRow, m.FreeAttack = results.RowProposedHuntx, results.AttackAdaptiveHunt
			}
			t2.Masking = append(t2.Masking, m.Against(results.Masking{FreeDamage: u(0, 0.2), GradientDamage: u(0.1, 0.3)}, results.PowerQuickYAML))
		}
	}
	t2 = t2.Complete()

	cert := results.Certified{Samples: 100, Alpha: 0.05, FailBelow: 0.7, NoiseSigma: 0.25}
	for _, in := range []results.Input{results.InputXS, results.InputDS, results.InputS} {
		for _, radius := range []float64{0.1, 0.25, 1} {
			cert.Rows = append(cert.Rows, results.CertifiedRow{Input: in, Method: in.Name(), Sigma: 0.25, Radius: radius, N: 500,
				SmoothedMAE: results.Number(u(0, 0.2)), ErrorBound: results.Number(u(0, 0.3)), Decisions: results.Number(u(0, 1)),
				CorrectDecisions: results.Number(u(0, 0.8)), Width: results.Number(u(0, 0.2)), Abstain: results.Number(u(0, 0.1))})
		}
	}

	for name, write := range map[string]func(io.Writer) error{
		results.Table1File: t1.JSON, results.Table2File: t2.JSON, results.CertifiedFile: cert.JSON,
	} {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPrintRunFitsTheTerminal: what segqa run prints of a run as wide as
// segqa makes them, golden, and no line of it wider than Width.
func TestPrintRunFitsTheTerminal(t *testing.T) {
	dir := t.TempDir()
	wideRun(t, dir)
	var out bytes.Buffer
	if err := PrintRun(&out, dir, nil); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "run_terminal.txt.golden"), out.Bytes())
	checkWidth(t, out.Bytes())
}

// checkWidth fails for each line of out wider than Width.
func checkWidth(t *testing.T, out []byte) {
	t.Helper()
	sc := bufio.NewScanner(bytes.NewReader(out))
	for line := 1; sc.Scan(); line++ {
		if n := utf8.RuneCount(sc.Bytes()); n > Width {
			t.Errorf("line %d is %d columns wide, more than %d:\n%s", line, n, Width, sc.Text())
		}
	}
}
