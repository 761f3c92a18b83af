package experiments

import "github.com/segqa/segqa/harness/results"

// An evaluation is a table stage at work (Table 1, Table 2 or certify):
// its worker, the upstream results it evaluates (the slices, the pools, the
// REG-Nets and the agreement baseline's members) and eval.*'s thresholds.
type evaluation struct {
	w     *worker
	up    *upstream
	prep  *Prepared
	nets  regNets
	agree agreementMembers
	// failBelow is eval.fail_below, alpha eval.alpha.
	failBelow, alpha float64
}

func newEvaluation(w *worker, up *upstream, failBelow, alpha float64) (*evaluation, error) {
	prep, err := up.prepared()
	if err != nil {
		return nil, err
	}
	return &evaluation{w: w, up: up, prep: prep, nets: up.regNets(), agree: up.agreement(), failBelow: failBelow, alpha: alpha}, nil
}

// test is the test pool.
func (ev *evaluation) test() (*Pool, error) { return ev.up.pool(results.Test) }
