package tables

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/testkit/golden"
)

// ours is a made-up result in the shape of a real run.
// qcFixture is a made-up QC; flip is NaN in Table 1.
func qcFixture(auroc, missed, flip, coverage float64) *results.QC {
	return &results.QC{AUROC: auroc, AUPRC: auroc - 0.05, AURC: 0.171, AURCOptimal: 0.152, MissedFailures: missed, FlipRate: flip, Coverage: coverage, IntervalWidth: 0.231, HalfWidth: 0.1234}
}

func oursTable1() Table1 {
	return Table1(results.Table1{Rows: []results.Table1Row{
		{ID: results.InputXS.Table1ID(), Method: results.MethodBaseline, Input: results.InputXS.Channels(), MAE: 0.043217, Std: 0.051234, N: 1000, Pearson: 0.9712, Accuracy07: 0.936, QC: qcFixture(0.961, 0.082, math.NaN(), 0.897)},
		{ID: results.InputDS.Table1ID(), Method: results.MethodProposed, Input: results.InputDS.Channels(), MAE: 0.038765, Std: 0.047711, N: 1000, Pearson: 0.97651, Accuracy07: 0.942, QC: qcFixture(0.968, 0.071, math.NaN(), 0.905)},
		{ID: "constant", Method: "predict 0.5", Input: "—", MAE: 0.25, Std: 0.1443, N: 1000, Pearson: math.NaN(), Accuracy07: 0.3},
		{ID: results.InputS.Table1ID(), Method: results.MethodSegmentation, Input: results.InputS.Channels(), MAE: 0.061, Std: 0.07, N: 1000, Pearson: 0.95, Accuracy07: 0.91},
	}}.WithPaper(results.PaperTable1()))
}

// withSensitivity is t with made-up input sensitivities on its REG-Nets
// with an image input: the baseline uses its image, the proposed
// pipeline is flagged.
func withSensitivity(t Table1) Table1 {
	t.Rows = slices.Clone(t.Rows)
	uses := results.NewSensitivity("x", []float64{0.2, 0.8}, []float64{0.25, 0.75}, []float64{0.5, 0.5}, []float64{0.75, 0.25}, 0.03)
	flat := results.NewSensitivity("d", []float64{0.2, 0.8}, []float64{0.25, 0.75}, []float64{0.26, 0.76}, []float64{0.27, 0.74}, 0.03)
	t.Rows[0].Sensitivity, t.Rows[1].Sensitivity = &uses, &flat
	return t
}

func oursTable2() Table2 {
	eps := []float64{0.05, 0.1, 0.2, 0.3}
	var qcs []results.QC
	for k := range eps {
		qcs = append(qcs, *qcFixture(0.9-0.1*float64(k), 0.1+0.1*float64(k), 0.05*float64(k+1), 0.85-0.1*float64(k)))
	}
	return Table2(results.Table2{Rows: []results.Table2Row{
		{ID: results.RowBaselineFGSMx, Method: results.MethodBaseline, Input: results.AttackedXS, Attack: results.AttackX, Eps: eps, N: 1000,
			MAE: []float64{0.0812, 0.1093, 0.1431, 0.1622}, Std: []float64{0.061, 0.072, 0.081, 0.0905},
			QC: qcs, CleanQC: qcFixture(0.961, 0.082, 0, 0.897)},
		{ID: results.RowProposedFGSMd, Method: results.MethodProposed, Input: results.AttackedDS, Attack: results.AttackD, Eps: eps, N: 1000,
			MAE: []float64{0.0705, 0.0888, 0.0921, 0.1187}, Std: []float64{0.058, 0.061, 0.0702, 0.0899}},
		{ID: results.RowProposedTransfer, Method: results.MethodProposed, Input: results.TransferredDS, Attack: results.AttackTransfer, Eps: eps, N: 1000,
			MAE: []float64{0.0421, 0.0433, 0.0687, 0.1401}, Std: []float64{0.0501, 0.0511, 0.0613, 0.1002}},
		{ID: "proposed_fgsm_d_clipped", Method: results.MethodProposed, Input: results.AttackedDS, Attack: "FGSM on d, clipped", Eps: []float64{0.05, 0.5}, N: 200,
			MAE: []float64{0.0655, 0.2}, Std: []float64{0.05, 0.11}},
	}}.Complete())
}

func genericTable() Generic {
	return Generic{
		Title:  "Ablation: REC-Net width",
		Header: []string{"filters", "val L1", "MAE", "note"},
		Rows: [][]string{
			{"16", "0.0123", "0.045 ± 0.052", "small | fast"},
			{"32", "0.0101", "0.041 ± 0.050", "paper-like\nsecond line"},
			{"64", "0.0098", "0.040 ± 0.049", ""},
		},
	}
}

type renderer interface {
	Terminal(io.Writer) error
	Markdown(io.Writer) error
	CSV(io.Writer) error
	JSON(io.Writer) error
}

func TestGolden(t *testing.T) {
	tables := map[string]renderer{
		"table1":             withSensitivity(oursTable1()),
		"table1_sensitivity": Sensitivity(results.Table1(withSensitivity(oursTable1()))),
		"table2":             oursTable2(),
		"paper_table1":       Table1(results.PaperTable1()),
		"paper_table2":       Table2(results.PaperTable2()),
		"generic":            genericTable(),
	}
	for name, tab := range tables {
		for _, f := range []struct {
			ext    string
			render func(io.Writer) error
		}{
			{"txt", tab.Terminal}, {"md", tab.Markdown}, {"csv", tab.CSV}, {"json", tab.JSON},
		} {
			t.Run(name+"."+f.ext, func(t *testing.T) {
				var buf bytes.Buffer
				if err := f.render(&buf); err != nil {
					t.Fatal(err)
				}
				golden.Check(t, filepath.Join("testdata", name+"."+f.ext+".golden"), buf.Bytes())
				if f.ext == "txt" {
					checkWidth(t, buf.Bytes())
				}
			})
		}
	}
}

func TestJSONFullPrecisionAndNull(t *testing.T) {
	var buf bytes.Buffer
	if err := oursTable1().JSON(&buf); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Rows []struct {
			MAE     float64  `json:"mae"`
			Pearson *float64 `json:"pearson"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Rows[0].MAE != 0.043217 {
		t.Errorf("mae = %v, want full precision 0.043217", got.Rows[0].MAE)
	}
	if got.Rows[2].Pearson != nil {
		t.Errorf("NaN pearson = %v, want null", *got.Rows[2].Pearson)
	}
}

func TestTable2ShapeError(t *testing.T) {
	bad := Table2{Rows: []results.Table2Row{{ID: "m", Method: "m", Eps: []float64{0.1, 0.2}, MAE: []float64{0.1}, Std: []float64{0.1, 0.2}}}}
	for _, f := range []func(io.Writer) error{bad.Terminal, bad.Markdown, bad.CSV, bad.JSON} {
		if err := f(io.Discard); !errors.Is(err, results.ErrShape) {
			t.Errorf("err = %v, want ErrShape", err)
		}
	}
}

func TestWithPaperTable2(t *testing.T) {
	got := oursTable2()
	if r := got.Rows[0]; r.PaperMAE[1] != 0.11 || r.PaperStd[3] != 0.09 {
		t.Errorf("baseline paper = %v ± %v", r.PaperMAE, r.PaperStd)
	}
	if r := got.Rows[3]; r.PaperMAE != nil {
		t.Errorf("unmatched row got paper figures %v", r.PaperMAE)
	}
	var buf bytes.Buffer
	if err := got.Markdown(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "| 0.07 ± 0.06 (paper 0.07 ± 0.06) |") {
		t.Errorf("markdown lacks the proposed row's paper figure:\n%s", buf.String())
	}
}

func TestClaimsMarkdown(t *testing.T) {
	claims := []results.Claim{
		{ID: results.ClaimFGSM, Claim: results.ClaimFGSM.Text(), Threat: results.ThreatPaper, Evidence: "ε=0.2: 0.460 ≥ 0.210"},
		{ID: results.ClaimTie, Claim: results.ClaimTie.Text(), Holds: true, Outcome: results.TieShown, Evidence: "TOST p = 0.001"},
		{ID: results.ClaimMonotone, Claim: results.ClaimMonotone.Text(), Unchecked: true, Evidence: "no rows"},
	}
	var b bytes.Buffer
	if err := ClaimsMarkdown(&b, claims); err != nil {
		t.Fatal(err)
	}
	want := "- **does not hold** (the paper's protocol): " + results.ClaimFGSM.Text() + ". ε=0.2: 0.460 ≥ 0.210.\n" +
		"- **tie**: " + results.ClaimTie.Text() + ". TOST p = 0.001.\n" +
		"- **not checked**: " + results.ClaimMonotone.Text() + ". no rows.\n"
	if b.String() != want {
		t.Errorf("markdown claims:\n%s\nwant\n%s", b.String(), want)
	}
}

// claimsFixture are made-up claims of a run that stored its per-sample
// predictions: the paper's protocol and the realisable threat paired at
// two ε, and the tie tested for equivalence.
func claimsFixture() []results.Claim {
	paired := func(base, prop results.RowID, delta, holm float64) *results.Paired {
		p := &results.Paired{Baseline: base, Proposed: prop, Interval: results.PairedInterval, Test: results.PairedTest}
		for k, e := range []float64{0.1, 0.2} {
			d := results.Number(delta * float64(k+1))
			p.At = append(p.At, results.PairedAt{Eps: e, N: 200, BaselineMAE: 0.2, ProposedMAE: 0.2 + d, Delta: d,
				Lo: d - 0.01, Hi: d + 0.01, P: results.Number(holm / 2), Holm: results.Number(holm)})
		}
		return p
	}
	eq := results.EquivalenceOf([]float64{0.1, 0.12, 0.09, 0.11}, []float64{0.1, 0.121, 0.091, 0.109}, 0.01, results.OverSamples)
	return []results.Claim{
		{ID: results.ClaimTie, Claim: results.ClaimTie.Text(), Holds: true, Outcome: eq.Outcome(), Evidence: eq.Evidence(), Equivalence: &eq},
		{ID: results.ClaimFGSM, Claim: results.ClaimFGSM.Text(), Threat: results.ThreatPaper, Evidence: "FGSM on d against FGSM on x: …",
			Paired: paired(results.RowBaselineFGSMx, results.RowProposedFGSMd, 0.04, 0.2)},
		{ID: results.ClaimWorstX, Claim: results.ClaimWorstX.Text(), Threat: results.ThreatRealisable, Holds: true, Evidence: "…",
			Paired: paired(results.RowBaselineWorstx, results.RowProposedWorstx, -0.03, 1e-5)},
	}
}

// TestClaimsGolden: the claims as the terminal and Markdown give them,
// each labelled with the threat it tests, and the paired comparisons below.
func TestClaimsGolden(t *testing.T) {
	for _, f := range []string{"txt", "md"} {
		var b bytes.Buffer
		if err := Write(&b, f, results.Claims(claimsFixture())); err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("testdata", "claims."+f+".golden"), b.Bytes())
		if f == "txt" {
			checkWidth(t, b.Bytes())
		}
	}
}
