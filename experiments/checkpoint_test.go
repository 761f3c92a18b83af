package experiments

import (
	"math"
	"testing"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/train"
)

// checkCheckpoints: regnet.checkpoint opens the weights it names. The
// validation MAE of the REG-Net restored as best must be the best metric
// its training recorded, and restored as last the last epoch's.
func checkCheckpoints(t *testing.T, cfg config.Config, store string) {
	t.Helper()
	up, prep := trainedUpstream(t, cfg, store)
	val, err := up.pool(results.Val)
	if err != nil {
		t.Fatal(err)
	}
	nets := up.regNets(netsOf(cfg))
	var hist results.History
	readJSON(t, nets.st.File("models", string(results.InputXS), "done.json"), &hist)
	if len(hist.History) == 0 {
		t.Fatal("the REG-Net's history is empty")
	}
	want := map[config.Checkpoint]float64{
		config.CheckpointBest: hist.Best,
		config.CheckpointLast: hist.History[len(hist.History)-1].ValMetric,
	}
	got := map[config.Checkpoint]float64{}
	for _, c := range config.Checkpoints {
		nets.checkpoint = c
		m, sess, closeFn, err := nets.open(results.InputXS, prep.Px)
		if err != nil {
			t.Fatal(err)
		}
		vals, err := train.Evaluate(sess, poolData(m, prep, val, false, nil), cfg.RegNet.Batch, m.MAE)
		closeFn()
		if err != nil {
			t.Fatal(err)
		}
		got[c] = vals[0]
		if math.Abs(vals[0]-want[c]) > 1e-5 {
			t.Errorf("regnet.checkpoint %s: validation MAE %.6f, want %.6f (best epoch %d of %d)", c, vals[0], want[c], hist.BestEpoch, hist.Epoch)
		}
		// What segqa score opens: the same checkpoint, read from the
		// run's config alone.
		scored := cfg
		scored.RegNet.Checkpoint = c
		m, sess, closeFn, err = OpenRegNet(scored, nets.st, nets.session, results.InputXS, prep.Px)
		if err != nil {
			t.Fatal(err)
		}
		vals, err = train.Evaluate(sess, poolData(m, prep, val, false, nil), cfg.RegNet.Batch, m.MAE)
		closeFn()
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(vals[0]-want[c]) > 1e-5 {
			t.Errorf("OpenRegNet (segqa score) with regnet.checkpoint %s: validation MAE %.6f, want %.6f", c, vals[0], want[c])
		}
	}
	t.Logf("REG-Net xs: validation MAE %.4f at its best epoch %d, %.4f at its last %d", got[config.CheckpointBest], hist.BestEpoch, got[config.CheckpointLast], hist.Epoch)
}
