package attack

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/tfrun"
)

// An Attack perturbs x, the clean value of a Target's tensor X (the other
// feeds held), within eps of it in L∞ (and within the target's range when
// it clips), to raise the target's loss. Each attack is a struct of its
// settings.
type Attack interface {
	// Name is the attack's short name, e.g. "pgd".
	Name() string
	// Perturb returns the attacked value of X; rng is the attack's random
	// source (nil for attacks that draw nothing). It stops with ctx's
	// error, between two queries, once ctx is done.
	Perturb(ctx context.Context, t Target, feeds map[tf.Output]*tf.Tensor, x []float32, eps float64, rng *rand.Rand) ([]float32, error)
	// Budget is what the attack spends per sample at each ε: queries of
	// the oracle results.OracleGradient (gradient evaluations) or
	// results.OracleLoss (forward passes).
	Budget() (queries int, oracle string)
}

// ErrTarget reports a target that lacks what an attack needs.
var ErrTarget = errors.New("attack: the target does not suit the attack")

// FGSM is one signed gradient step of eps (Goodfellow et al. 2015, in
// Kurakin et al.'s form). Its direction does not depend on eps: a caller
// attacking at several eps computes it once with Target.Sign and applies
// it with Target.Step, as Perturb does.
type FGSM struct{}

// Name is "fgsm".
func (FGSM) Name() string { return "fgsm" }

// Perturb is Step(x, Sign(x), eps).
func (FGSM) Perturb(ctx context.Context, t Target, feeds map[tf.Output]*tf.Tensor, x []float32, eps float64, _ *rand.Rand) ([]float32, error) {
	t = t.within(ctx)
	dir, err := t.Sign(feeds, x)
	if err != nil {
		return nil, fmt.Errorf("fgsm: %w", err)
	}
	return t.Step(x, dir, eps), nil
}

// Budget is one gradient evaluation.
func (FGSM) Budget() (int, string) { return 1, results.OracleGradient }

// PGD is the iterated gradient-sign attack (BIM, and PGD with random
// starts, Madry et al. 2018): Steps signed steps of StepAt(eps), each
// projected back onto the eps-ball around x (and the clip range), from x or
// a uniform random point of the ball; of Restarts runs the one with the
// highest loss is kept, per sample when the target has a per-sample loss.
// One step of eps from x is FGSM.
type PGD struct {
	Steps int
	// StepSize is each step as a fraction of eps; 0 is Madry et al.'s
	// 2.5 / Steps, so that a run can cross the ball and back.
	StepSize    float64
	Restarts    int // runs; 0 is one
	RandomStart bool
}

// StepAt is the step of a PGD-like attack in an eps-ball, the one rule for
// every PGD of segqa (Table 2, the agreement baseline, adversarial
// training): StepSize eps, or with StepSize 0 2.5 eps / Steps.
func (a PGD) StepAt(eps float64) float64 {
	if a.StepSize == 0 {
		return 2.5 * eps / float64(a.Steps)
	}
	return a.StepSize * eps
}

// Name is "pgd".
func (PGD) Name() string { return "pgd" }

// Perturb runs the attack on x.
func (a PGD) Perturb(ctx context.Context, t Target, feeds map[tf.Output]*tf.Tensor, x []float32, eps float64, rng *rand.Rand) ([]float32, error) {
	t = t.within(ctx)
	adv, err := t.pgd(feeds, x, eps, a.StepAt(eps), a.Steps, a.Restarts, a.RandomStart, rng)
	if err != nil {
		return nil, fmt.Errorf("pgd: %w", err)
	}
	return adv, nil
}

// Budget is Steps gradient evaluations per run.
func (a PGD) Budget() (int, string) { return a.Steps * max(a.Restarts, 1), results.OracleGradient }

// APGD is Auto-PGD with the L∞ sign step (Croce and Hein 2020): Restarts
// runs of Steps steps each, the first from x, the others from uniform
// random points of the eps-ball; each sample keeps the highest-loss point
// of any run (see Target.apgd).
type APGD struct {
	Steps    int
	Restarts int // runs; 0 is one
}

// Name is "apgd".
func (APGD) Name() string { return "apgd" }

// Perturb runs the attack on x.
func (a APGD) Perturb(ctx context.Context, t Target, feeds map[tf.Output]*tf.Tensor, x []float32, eps float64, rng *rand.Rand) ([]float32, error) {
	t = t.within(ctx)
	adv, err := t.apgd(feeds, x, eps, a.Steps, a.Restarts, rng)
	if err != nil {
		return nil, fmt.Errorf("apgd: %w", err)
	}
	return adv, nil
}

// Budget is Steps gradient evaluations per run.
func (a APGD) Budget() (int, string) { return a.Steps * max(a.Restarts, 1), results.OracleGradient }

// Square is the Square attack (Andriushchenko et al. 2020), a random search
// of Queries forward passes that needs no gradient (see Target.square).
type Square struct {
	Queries int
	// P is the initial share of pixels a proposal changes; 0 is SquareP.
	P float64
}

// Name is "square".
func (Square) Name() string { return "square" }

// Perturb runs the attack on x; X must have shape [N, H, W, C].
func (a Square) Perturb(ctx context.Context, t Target, feeds map[tf.Output]*tf.Tensor, x []float32, eps float64, rng *rand.Rand) ([]float32, error) {
	t = t.within(ctx)
	p := a.P
	if p == 0 {
		p = SquareP
	}
	return t.square(feeds, x, eps, p, a.Queries, rng)
}

// Budget is Queries forward passes.
func (a Square) Budget() (int, string) { return a.Queries, results.OracleLoss }

// SignHunter is SignHunter's sign-flip search (Al-Dujaili and O'Reilly
// 2020) with square tiles, Queries forward passes that need no gradient
// (see Target.signHunt).
type SignHunter struct{ Queries int }

// Name is "signhunter".
func (SignHunter) Name() string { return "signhunter" }

// Perturb runs the attack on x; X must have shape [N, H, W, C] and the
// target a per-sample loss.
func (a SignHunter) Perturb(ctx context.Context, t Target, feeds map[tf.Output]*tf.Tensor, x []float32, eps float64, rng *rand.Rand) ([]float32, error) {
	t = t.within(ctx)
	return t.signHunt(feeds, x, eps, a.Queries, rng)
}

// Budget is Queries forward passes.
func (a SignHunter) Budget() (int, string) { return a.Queries, results.OracleLoss }

// Threshold is APGD across the pass threshold FailBelow: it feeds the
// target's Dice the targets of AcrossThreshold for the batch's TrueDice,
// so that APGD pushes each prediction across FailBelow, up for a failed
// segmentation and down for a good one.
type Threshold struct {
	APGD
	FailBelow float64
}

// Name is "threshold".
func (Threshold) Name() string { return "threshold" }

// Perturb runs the attack on x; the target needs Dice and TrueDice.
func (a Threshold) Perturb(ctx context.Context, t Target, feeds map[tf.Output]*tf.Tensor, x []float32, eps float64, rng *rand.Rand) ([]float32, error) {
	if t.Dice.Op == nil || len(t.TrueDice) == 0 {
		return nil, fmt.Errorf("threshold attack: %w: it needs the Dice placeholder and the batch's true Dice", ErrTarget)
	}
	f := tfrun.With(feeds, t.Dice, tfrun.MustFloat32(AcrossThreshold(t.TrueDice, a.FailBelow), int64(len(t.TrueDice))))
	adv, err := a.APGD.Perturb(ctx, t, f, x, eps, rng)
	if err != nil {
		return nil, fmt.Errorf("threshold attack: %w", err)
	}
	return adv, nil
}
