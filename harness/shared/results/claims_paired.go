package results

import (
	"fmt"
	"strings"

	"github.com/segqa/segqa/harness/shared/stats"
)

// How a Paired comparison computes its intervals and p-values.
const (
	PairedLevel    = 0.95
	PairedInterval = "95% t interval of the mean per-sample difference"
	PairedTest     = "Wilcoxon signed-rank test of the per-sample absolute errors, Holm over the ε"
)

// Paired compares two rows of Table 2 sample by sample at every ε both
// have: the baseline's row and the proposed pipeline's, on the same test
// samples. Δ is the proposed row's MAE minus the baseline's.
type Paired struct {
	Baseline RowID `json:"baseline"`
	Proposed RowID `json:"proposed"`
	// Interval and Test say how each level's Lo, Hi and P are computed
	// (PairedInterval, PairedTest).
	Interval string     `json:"interval"`
	Test     string     `json:"test"`
	At       []PairedAt `json:"at"`
}

// PairedAt is a Paired comparison at one ε.
type PairedAt struct {
	Eps         float64 `json:"eps"`
	N           int     `json:"n"`
	BaselineMAE Number  `json:"baseline_mae"`
	ProposedMAE Number  `json:"proposed_mae"`
	Delta       Number  `json:"delta"`
	Lo          Number  `json:"lo"`
	Hi          Number  `json:"hi"`
	P           Number  `json:"p"`
	// Holm is P corrected by Holm's method over the comparison's ε.
	Holm Number `json:"holm_p"`
}

// PairedOf compares base and prop, each a list per ε of per-sample
// absolute errors on the same samples, at eps: Δ with its PairedInterval
// and the PairedTest's p, Holm-corrected over eps. It panics if the lists'
// lengths differ.
func PairedOf(baseline, proposed RowID, eps []float64, base, prop [][]float64) Paired {
	p := Paired{Baseline: baseline, Proposed: proposed, Interval: PairedInterval, Test: PairedTest}
	ps := make([]float64, len(eps))
	for k, e := range eps {
		tt := stats.PairedT(base[k], prop[k])
		lo, hi := tt.Interval(PairedLevel)
		_, ps[k] = stats.Wilcoxon(base[k], prop[k])
		mb, _ := stats.MeanStd(base[k])
		mp, _ := stats.MeanStd(prop[k])
		p.At = append(p.At, PairedAt{Eps: e, N: tt.N, BaselineMAE: Number(mb), ProposedMAE: Number(mp),
			Delta: Number(tt.Mean), Lo: Number(lo), Hi: Number(hi), P: Number(ps[k])})
	}
	for k, h := range stats.Holm(ps) {
		p.At[k].Holm = Number(h)
	}
	return p
}

// Below reports whether the proposed row's MAE is below the baseline's at
// every ε, significantly: Δ < 0 and the Holm p below ClaimLevel. It is
// false for no levels.
func (p Paired) Below() bool {
	for _, a := range p.At {
		if !(a.Delta < 0 && a.Holm < ClaimLevel) {
			return false
		}
	}
	return len(p.At) > 0
}

// Evidence is the comparison in one line.
func (p Paired) Evidence() string {
	parts := make([]string, len(p.At))
	for k, a := range p.At {
		parts[k] = fmt.Sprintf("ε=%g: Δ %+.3f [%+.3f, %+.3f], Holm p %s", a.Eps, a.Delta, a.Lo, a.Hi, FormatP(float64(a.Holm)))
	}
	return fmt.Sprintf("Δ = proposed − baseline MAE over n = %d (%s; %s): %s", p.n(), PairedInterval, PairedTest, strings.Join(parts, "; "))
}

func (p Paired) n() int {
	if len(p.At) == 0 {
		return 0
	}
	return p.At[0].N
}

// pairedOf is the Paired comparison of rows base and prop of t at every ε
// of base that prop has, from the per-sample predictions t stores; nil
// when it stores either row's predictions not.
func (t Table2) pairedOf(base, prop RowID) *Paired {
	s := t.Samples
	br, pr := t.Row(base), t.Row(prop)
	if s == nil || br == nil || pr == nil || s.Rows[base] == nil || s.Rows[prop] == nil {
		return nil
	}
	var eps []float64
	var a, b [][]float64
	for i, e := range br.Eps {
		j := pr.EpsIndex(e)
		if j < 0 {
			continue
		}
		eps = append(eps, e)
		a = append(a, stats.AbsErrors(s.Rows[base][i], s.TrueDice))
		b = append(b, stats.AbsErrors(s.Rows[prop][j], s.TrueDice))
	}
	p := PairedOf(base, prop, eps, a, b)
	return &p
}

// worstXClaim is the central claim under the threat an attacker can
// realise: per sample the worst case over every attack on x, each pipeline
// end to end, the proposed pipeline's errors below the baseline's at every
// ε (Paired.Below).
func (t Table2) worstXClaim() Claim {
	var c Claim
	p := t.pairedOf(RowBaselineWorstx, RowProposedWorstx)
	if p == nil || len(p.At) == 0 {
		c.Unchecked, c.Outcome = true, NotRecorded
		c.Evidence = "the run stored no per-sample predictions of the rows " + string(RowBaselineWorstx) + " and " + string(RowProposedWorstx) +
			" (runs before segqa stored them in " + Table2File + ")"
		return c
	}
	c.Paired, c.Holds = p, p.Below()
	c.Evidence = "worst case over the attacks on x, each pipeline end to end; " + p.Evidence()
	return c
}
