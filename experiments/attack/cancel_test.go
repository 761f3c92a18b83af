package attack_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/experiments/attack"
	"github.com/segqa/segqa/graphs"
)

// cancelAfter is a context that is cancelled at its n-th Err call: a
// cancellation that comes while an attack is under way, after n − 1
// queries, with no clock in the test.
type cancelAfter struct {
	context.Context
	n, calls int
}

func (c *cancelAfter) Err() error {
	if c.calls++; c.calls >= c.n {
		return context.Canceled
	}
	return nil
}

// TestAttacksStopWhenCancelled: every attack of Table 2, given budgets of
// hundreds of queries, returns the context's error once the context is
// cancelled midway, and makes no query after it (a signal stops a run's
// Table 2 within one forward or backward pass, not at the end of a batch's
// attack).
func TestAttacksStopWhenCancelled(t *testing.T) {
	s := op.NewScope()
	m := graphs.Regressor(s, tinyReg, px, []string{"image", "seg"}, graphs.L1, 4, graphs.Adam{})
	sess := session(t, s)
	if _, err := sess.Run(nil, nil, []*tf.Operation{m.Init}); err != nil {
		t.Fatal(err)
	}
	xs, ss, dice := samples(8, 3)
	f := feeds(m, xs, ss, dice)
	tg := attack.Target{Sess: sess, X: m.Inputs[0], Grad: m.InputGrads[0], Loss: m.Loss, PerSample: m.PerSample, Shape: []int64{8, px, px, 1},
		Clip: true, Lo: -1, Hi: 1, Dice: m.Target, TrueDice: []float64{0.2, 0.9, 0.5, 0.8, 0.1, 0.95, 0.6, 0.75}}
	apgd := attack.APGD{Steps: 100, Restarts: 3}
	for _, a := range []attack.Attack{
		attack.PGD{Steps: 200, Restarts: 2, RandomStart: true},
		apgd,
		attack.Square{Queries: 500},
		attack.SignHunter{Queries: 500},
		attack.Threshold{APGD: apgd, FailBelow: 0.7},
	} {
		ctx := &cancelAfter{Context: context.Background(), n: 4}
		_, err := a.Perturb(ctx, tg, f, xs, 0.1, rand.New(rand.NewPCG(1, 1)))
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: cancelled after 3 queries, returned %v", a.Name(), err)
		}
		if ctx.calls != ctx.n {
			t.Errorf("%s: asked the context %d times, went on after it was cancelled at call %d", a.Name(), ctx.calls, ctx.n)
		}
	}
}
