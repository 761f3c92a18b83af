package report

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/shared/stats"
	"github.com/segqa/segqa/reports/tables"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func TestAggregate1KnownMeanStd(t *testing.T) {
	row := func(method string, mae, pearson float64) results.Table1Row {
		return results.Table1Row{ID: results.Table1ID(method), Method: method, Input: "x, s", MAE: mae, Pearson: pearson, Accuracy07: 0.5}
	}
	got := aggregate1([]results.Table1{
		{Rows: []results.Table1Row{row("a", 0.1, 0.8), row("b", 0.25, 0.9)}},
		{Rows: []results.Table1Row{row("a", 0.3, 0.6)}},
	})
	if len(got) != 2 || got[0].method != "a" || got[1].method != "b" {
		t.Fatalf("rows %+v, want a then b", got)
	}
	// a: mean of 0.1 and 0.3 is 0.2; the sample std is sqrt(0.02).
	if a := got[0]; !near(a.mae, 0.2) || !near(a.std, math.Sqrt(0.02)) || a.seeds != 2 || !near(a.pearson, 0.7) {
		t.Errorf("a = %+v, want MAE 0.2 ± 0.141421, 2 seeds, Pearson 0.7", a)
	}
	// b: one seed, so its spread across seeds is unknown.
	if b := got[1]; !near(b.mae, 0.25) || !math.IsNaN(b.std) || b.seeds != 1 {
		t.Errorf("b = %+v, want MAE 0.25, std NaN, 1 seed", b)
	}
	var buf strings.Builder
	if err := table1Over(got).Markdown(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| a | x, s | 0.200 ± 0.141 | 2 |", "| b | x, s | 0.250 | 1 |"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, buf.String())
		}
	}
}

func TestAggregate2KnownMeanStd(t *testing.T) {
	row := func(eps, mae []float64) results.Table2Row {
		return results.Table2Row{ID: "m_fgsm", Method: "m", Input: "i", Attack: "FGSM", Eps: eps, MAE: mae, Std: make([]float64, len(eps)), N: 10}
	}
	got, seeds := aggregate2([]results.Table2{
		{Rows: []results.Table2Row{row([]float64{0.1, 0.2}, []float64{0.2, 0.4})}},
		{Rows: []results.Table2Row{row([]float64{0.1, 0.3}, []float64{0.4, 0.5})}},
		{Rows: []results.Table2Row{row([]float64{0.1}, []float64{0.6})}},
	})
	if len(got.Rows) != 1 || seeds[0] != 3 {
		t.Fatalf("rows %+v seeds %v", got.Rows, seeds)
	}
	r := got.Rows[0]
	if fmt.Sprint(r.Eps) != "[0.1 0.2 0.3]" {
		t.Fatalf("eps %v, want the union [0.1 0.2 0.3]", r.Eps)
	}
	// ε=0.1: 0.2, 0.4, 0.6 → 0.4 ± 0.2; ε=0.2 and 0.3: one seed each.
	if !near(r.MAE[0], 0.4) || !near(r.Std[0], 0.2) || !near(r.MAE[1], 0.4) || !math.IsNaN(r.Std[1]) || !near(r.MAE[2], 0.5) {
		t.Errorf("MAE %v Std %v", r.MAE, r.Std)
	}
}

func TestSweepReportAggregates(t *testing.T) {
	md := render(t, filepath.Join("testdata", "sweep"), false)
	for _, want := range []string{
		// l1: baseline 0.10 and 0.12 → 0.110 ± 0.014; l2: 0.20 and 0.26 → 0.230 ± 0.042.
		"| regnet.loss=l1 | 2 | 0.110 ± 0.014 | 0.090 ± 0.014 |",
		"| regnet.loss=l2 | 2 | 0.230 ± 0.042 | 0.210 ± 0.042 |",
		"Table 2 over 1 seed of 2 cells",
		"| total | 15 | 12 | 88.00 | 1m28s |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("sweep report lacks %q", want)
		}
	}
}

// TestCompareKnownValues: the second method's error is 1/64 below the
// baseline's on every one of 10 samples (exact in binary), so every
// bootstrap resample has mean difference -1/64. All ten differences tie,
// so Wilcoxon uses the normal approximation with the tie correction:
// W = 0, var = (10·11·21 - (10³-10)/2)/24 = 75.625, z = 27.5/√75.625 = √10,
// p = erfc(√10/√2) = erfc(√5) ≈ 0.0015654 (scipy.stats.wilcoxon agrees).
func TestCompareKnownValues(t *testing.T) {
	p := &results.Predictions{Predicted: map[results.Input][]float64{}}
	for i := range 10 {
		truth := float64(i) / 16
		p.TrueDice = append(p.TrueDice, truth)
		p.Predicted["xs"] = append(p.Predicted["xs"], truth+float64(i+2)/64)
		p.Predicted["ds"] = append(p.Predicted["ds"], truth+float64(i+1)/64)
	}
	res := compare(p, 3)
	if len(res) != 1 || res[0].b != "ds" || res[0].n != 10 {
		t.Fatalf("results %+v", res)
	}
	c := res[0]
	if c.diff != -1.0/64 || c.lo != -1.0/64 || c.hi != -1.0/64 {
		t.Errorf("bootstrap %v [%v, %v], want exactly -1/64", c.diff, c.lo, c.hi)
	}
	if c.wilcoxonW != 0 || math.Abs(c.wilcP-math.Erfc(math.Sqrt(5))) > 1e-12 {
		t.Errorf("Wilcoxon W %v p %v, want 0 and erfc(√5) = %v", c.wilcoxonW, c.wilcP, math.Erfc(math.Sqrt(5)))
	}
	if !near(c.maeA-c.maeB, 1.0/64) {
		t.Errorf("MAE %v and %v, want 1/64 apart", c.maeA, c.maeB)
	}
	if !strings.Contains(c.verdict(), "lower MAE") {
		t.Errorf("verdict %q", c.verdict())
	}
}

// TestPairedSectionShowsStats: the report's paired section shows what
// stats.PairedBootstrap and stats.Wilcoxon give on testdata/run, with the
// seed it used.
func TestPairedSectionShowsStats(t *testing.T) {
	d, err := loadRun(filepath.Join("testdata", "run"))
	if err != nil {
		t.Fatal(err)
	}
	ea := stats.AbsErrors(d.preds.Predicted["xs"], d.preds.TrueDice)
	eb := stats.AbsErrors(d.preds.Predicted["ds"], d.preds.TrueDice)
	diff, lo, hi := stats.PairedBootstrap(eb, ea, bootstrapResamples, rand.New(rand.NewPCG(d.manifest.Seed, bootstrapStream)), 0.95)
	w, p := stats.Wilcoxon(eb, ea)
	md := render(t, filepath.Join("testdata", "run"), false)
	row := fmt.Sprintf("| %s | [%s, %s] | %g | %s |", tables.Signed(diff, 4), tables.Signed(lo, 4), tables.Signed(hi, 4), w, results.FormatP(p))
	for _, want := range []string{row, "math/rand/v2 PCG seeded with (1, 0)", "10000 resamples", "| proposed (d, s) | Robinson et al. (x, s) | 30 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("paired section lacks %q", want)
		}
	}
	if lo >= diff || diff >= hi {
		t.Errorf("interval [%v, %v] does not bracket %v", lo, hi, diff)
	}
}
