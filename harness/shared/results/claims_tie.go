package results

import (
	"fmt"

	"github.com/segqa/segqa/harness/shared/stats"
)

// Tie is the paired comparison of the two methods without attack: their
// MAE on the same test samples and the p-value of a Wilcoxon signed-rank
// test of the absolute errors. Runs before segqa stored per-sample
// predictions (Table2.Samples) judged the tie by it alone.
type Tie struct {
	N           int     `json:"n"`
	BaselineMAE float64 `json:"baseline_mae"`
	ProposedMAE float64 `json:"proposed_mae"`
	P           float64 `json:"wilcoxon_p"`
}

// DefaultTieMargin is eval.tie_margin's default: the difference in MAE of
// predicted Dice within which the two methods count as tied.
const DefaultTieMargin = 0.01

// The tests of an Equivalence.
const (
	EquivalenceTest = "TOST: two one-sided paired t-tests against ±margin"
	DifferenceTest  = "paired t-test"
)

// What an Equivalence pairs: the absolute errors of one run's test
// samples, or the MAE of each seed's run.
const (
	OverSamples = "samples"
	OverSeeds   = "seeds"
)

// Equivalence is an equivalence test of the proposed method's errors
// against the baseline's within a margin: Schuirmann's two one-sided tests
// (TOST) on paired values, per sample the absolute errors of one run or per
// seed the MAE of several. Δ is the mean of proposed − baseline.
type Equivalence struct {
	Test   string  `json:"test"` // EquivalenceTest
	Margin float64 `json:"margin"`
	// Over says what is paired: OverSamples or OverSeeds.
	Over        string `json:"over"`
	N           int    `json:"n"`
	BaselineMAE Number `json:"baseline_mae"`
	ProposedMAE Number `json:"proposed_mae"`
	Delta       Number `json:"delta"`
	// Lo and Hi are Δ's t interval at 1 − 2·ClaimLevel: both one-sided
	// tests reject at ClaimLevel when it lies inside ±Margin.
	Lo Number `json:"lo"`
	Hi Number `json:"hi"`
	// PLower tests Δ ≤ −Margin, PUpper Δ ≥ Margin; P is the larger.
	PLower Number `json:"p_lower"`
	PUpper Number `json:"p_upper"`
	P      Number `json:"p"`
	// DifferenceP is the ordinary two-sided test of Δ = 0 (DifferenceTest).
	DifferenceTest string `json:"difference_test"`
	DifferenceP    Number `json:"difference_p"`
}

// EquivalenceOf tests the paired values prop against base (absolute errors
// per sample, or MAE per seed, as over says) for equivalence within
// ±margin. It panics if the lengths differ or margin is not positive.
func EquivalenceOf(base, prop []float64, margin float64, over string) Equivalence {
	t := stats.PairedTOST(base, prop, margin)
	lo, hi := t.Interval(1 - 2*ClaimLevel)
	mb, _ := stats.MeanStd(base)
	mp, _ := stats.MeanStd(prop)
	return Equivalence{
		Test: EquivalenceTest, Margin: margin, Over: over, N: t.N,
		BaselineMAE: Number(mb), ProposedMAE: Number(mp), Delta: Number(t.Mean), Lo: Number(lo), Hi: Number(hi),
		PLower: Number(t.PLower), PUpper: Number(t.PUpper), P: Number(t.PEquivalence()),
		DifferenceTest: DifferenceTest, DifferenceP: Number(t.P),
	}
}

// Outcome is TieShown when both one-sided tests reject at ClaimLevel,
// else TieDiffer when the ordinary paired test does, else TieNotShown.
func (e Equivalence) Outcome() string {
	switch {
	case e.P < ClaimLevel:
		return TieShown
	case e.DifferenceP < ClaimLevel:
		return TieDiffer
	}
	return TieNotShown
}

// Evidence is the test in one line.
func (e Equivalence) Evidence() string {
	return fmt.Sprintf("MAE %.3f (x, s) and %.3f (d, s) over %d %s; Δ = %+.4f, %.0f%% interval [%+.4f, %+.4f] against ±%g: TOST p = %s; %s p = %s",
		e.BaselineMAE, e.ProposedMAE, e.N, e.Over, e.Delta, 100*(1-2*ClaimLevel), e.Lo, e.Hi, e.Margin,
		FormatP(float64(e.P)), e.DifferenceTest, FormatP(float64(e.DifferenceP)))
}

// TieMarginOrDefault is t's margin of the tie: as the run recorded it, or
// DefaultTieMargin for tables recorded before eval.tie_margin existed.
func (t Table2) TieMarginOrDefault() float64 {
	if t.TieMargin > 0 {
		return t.TieMargin
	}
	return DefaultTieMargin
}

// tieClaim is the tie without attack: TOST on the per-sample absolute
// errors when t stores the predictions; in runs before it did, only the
// recorded Wilcoxon p, which can say that the methods differ but never
// that they tie.
func (t Table2) tieClaim() Claim {
	var c Claim
	if s := t.Samples; s != nil && s.Clean[InputXS] != nil && s.Clean[InputDS] != nil {
		eq := EquivalenceOf(stats.AbsErrors(s.Clean[InputXS], s.TrueDice), stats.AbsErrors(s.Clean[InputDS], s.TrueDice), t.TieMarginOrDefault(), OverSamples)
		c.Equivalence, c.Outcome = &eq, eq.Outcome()
		c.Holds, c.Evidence = c.Outcome == TieShown, eq.Evidence()
		return c
	}
	if t.Tie == nil {
		c.Unchecked, c.Evidence = true, "no paired test recorded"
		return c
	}
	c.Outcome = TieNotShown
	verdict := "no significant difference, which does not show a tie"
	if t.Tie.P < ClaimLevel {
		c.Outcome, verdict = TieDiffer, "a significant difference"
	}
	c.Evidence = fmt.Sprintf("MAE %.3f (x, s) and %.3f (d, s) on n = %d; paired Wilcoxon p = %s: %s at the %g level "+
		"(no equivalence test: the run stored no per-sample predictions)",
		t.Tie.BaselineMAE, t.Tie.ProposedMAE, t.Tie.N, FormatP(t.Tie.P), verdict, ClaimLevel)
	return c
}
