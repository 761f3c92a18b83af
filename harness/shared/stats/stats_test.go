package stats

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// reference is testdata/scipy_reference.json, written by
// testdata/scipy_reference.py with scipy 1.17.1 and numpy 2.4.6: four
// paired samples (12 and 30 untied pairs, 40 pairs with zeros and ties,
// 120 untied pairs) and what numpy and scipy.stats compute from them.
type reference struct {
	Cases []struct {
		Name            string
		A, B            []float64
		Zeros, Tied     int
		WilcoxonMethod  string  `json:"wilcoxon_method"`
		WilcoxonW       float64 `json:"wilcoxon_w"`
		WilcoxonP       float64 `json:"wilcoxon_p"`
		MAE             float64 `json:"mae"`
		MAEStd          float64 `json:"mae_std"`
		Pearson         float64 `json:"pearson"`
		MeanA           float64 `json:"mean_a"`
		StdADdof1       float64 `json:"std_a_ddof1"`
		AccuracyBelow01 float64 `json:"accuracy_below_0_1"`
		BootMeanDiff    float64 `json:"boot_mean_diff"`
		BootLo          float64 `json:"boot_lo"`
		BootHi          float64 `json:"boot_hi"`
	}
}

func loadReference(t *testing.T) reference {
	t.Helper()
	raw, err := os.ReadFile("testdata/scipy_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref reference
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Cases) != 4 {
		t.Fatalf("want 4 reference cases, got %d", len(ref.Cases))
	}
	return ref
}

func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

func TestAgainstScipy(t *testing.T) {
	for _, c := range loadReference(t).Cases {
		t.Run(c.Name, func(t *testing.T) {
			if m, s := MAE(c.A, c.B); !near(m, c.MAE, 1e-12) || !near(s, c.MAEStd, 1e-12) {
				t.Errorf("MAE = %v ± %v, want %v ± %v", m, s, c.MAE, c.MAEStd)
			}
			if r := Pearson(c.A, c.B); !near(r, c.Pearson, 1e-12) {
				t.Errorf("Pearson = %v, want %v", r, c.Pearson)
			}
			if m, s := MeanStd(c.A); !near(m, c.MeanA, 1e-12) || !near(s, c.StdADdof1, 1e-12) {
				t.Errorf("MeanStd = %v ± %v, want %v ± %v", m, s, c.MeanA, c.StdADdof1)
			}
			if acc := AccuracyBelow(c.A, c.B, 0.1); acc != c.AccuracyBelow01 {
				t.Errorf("AccuracyBelow = %v, want %v", acc, c.AccuracyBelow01)
			}
			w, p := Wilcoxon(c.A, c.B)
			if w != c.WilcoxonW || !near(p, c.WilcoxonP, 1e-12) {
				t.Errorf("Wilcoxon (%s) = %v, %v, want %v, %v", c.WilcoxonMethod, w, p, c.WilcoxonW, c.WilcoxonP)
			}
		})
	}
}

// The bootstrap draws differ from scipy's, so the interval only has to
// agree to a small fraction of its width.
func TestPairedBootstrapAgainstScipy(t *testing.T) {
	for _, c := range loadReference(t).Cases {
		t.Run(c.Name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			d, lo, hi := PairedBootstrap(c.A, c.B, 20000, rng, 0.95)
			width := c.BootHi - c.BootLo
			if !near(d, c.BootMeanDiff, 1e-12) {
				t.Errorf("mean diff = %v, want %v", d, c.BootMeanDiff)
			}
			if !near(lo, c.BootLo, 0.05*width) || !near(hi, c.BootHi, 0.05*width) {
				t.Errorf("CI = [%v, %v], scipy [%v, %v]", lo, hi, c.BootLo, c.BootHi)
			}
			if !(lo <= d && d <= hi) {
				t.Errorf("CI [%v, %v] misses the mean difference %v", lo, hi, d)
			}
		})
	}
}

func TestPairedBootstrapDeterministic(t *testing.T) {
	a := []float64{0.1, 0.2, 0.05, 0.3, 0.12}
	b := []float64{0.12, 0.18, 0.09, 0.31, 0.2}
	_, lo1, hi1 := PairedBootstrap(a, b, 500, rand.New(rand.NewPCG(9, 9)), 0.9)
	_, lo2, hi2 := PairedBootstrap(a, b, 500, rand.New(rand.NewPCG(9, 9)), 0.9)
	if lo1 != lo2 || hi1 != hi2 {
		t.Errorf("same seed, different intervals: [%v %v] and [%v %v]", lo1, hi1, lo2, hi2)
	}
}

// Hand-checked values: the subset sums of {1, 2, 3} are 0,1,2,3,3,4,5,6.
func TestSignedRankPMF(t *testing.T) {
	want := []float64{1, 1, 1, 2, 1, 1, 1}
	for k, p := range signedRankPMF(3) {
		if p != want[k]/8 {
			t.Errorf("P(W=%d) = %v, want %v/8", k, p, want[k])
		}
	}
}

// Hand-checked: with differences 1..5 all positive, W- = 0 and the exact
// two-sided p is 2/32; with every difference zero there is nothing to test.
func TestWilcoxonEdges(t *testing.T) {
	w, p := Wilcoxon([]float64{1, 2, 3, 4, 5}, []float64{0, 0, 0, 0, 0})
	if w != 0 || p != 2.0/32 {
		t.Errorf("all positive: w=%v p=%v, want 0 and 1/16", w, p)
	}
	if w, p := Wilcoxon([]float64{1, 2}, []float64{1, 2}); w != 0 || p != 1 {
		t.Errorf("all zero: w=%v p=%v, want 0 and 1", w, p)
	}
}

func TestDegenerate(t *testing.T) {
	if r := Pearson([]float64{1, 1, 1}, []float64{1, 2, 3}); !math.IsNaN(r) {
		t.Errorf("Pearson of a constant = %v, want NaN", r)
	}
	if m, s := MAE(nil, nil); !math.IsNaN(m) || !math.IsNaN(s) {
		t.Errorf("MAE of nothing = %v ± %v, want NaN", m, s)
	}
	if m, s := MeanStd([]float64{0.3}); m != 0.3 || s != 0 {
		t.Errorf("MeanStd of one seed = %v ± %v, want 0.3 ± 0", m, s)
	}
	defer func() {
		if recover() == nil {
			t.Error("MAE with different lengths did not panic")
		}
	}()
	MAE([]float64{1}, []float64{1, 2})
}
