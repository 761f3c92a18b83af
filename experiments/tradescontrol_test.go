package experiments

import (
	"testing"

	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/tfrun"
)

// TestSegmentationAloneTrainsOnItsLossUnderTRADES: with
// regnet.adversarial trades the image networks minimise TRADES's objective,
// but the control on s alone trains clean, on its plain loss. On TRADES's
// objective its clean batches' second halves were taken for the first
// halves' adversarial examples, which pulled unrelated samples' predictions
// together: it predicted a constant (MAE 0.253 in a robust.yaml trades cell).
func TestSegmentationAloneTrainsOnItsLossUnderTRADES(t *testing.T) {
	cfg := config.Default()
	cfg.RegNet.Adversarial, cfg.RegNet.TradesBeta = config.AdvTRADES, 6
	cfg, _ = resolvePrecisions(cfg, tfrun.Options{})
	nets := regNets{set: regnetSettings{Seed: 1, RegNet: cfg.RegNet, RecNet: cfg.RecNet}}
	sAlone, err := nets.model(op.NewScope(), results.InputS, 64)
	if err != nil {
		t.Fatal(err)
	}
	if sAlone.TrainLoss != sAlone.Loss {
		t.Error("the network on s alone minimises TRADES's objective")
	}
	x, err := nets.model(op.NewScope(), results.InputXS, 64)
	if err != nil {
		t.Fatal(err)
	}
	if x.TrainLoss == x.Loss {
		t.Error("the (x, s) network does not minimise TRADES's objective: the test has no power")
	}
}
