package experiments

import "github.com/segqa/segqa/harness/shared/results"

// An evaluation is a table stage at work (Table 1, Table 2 or certify):
// its worker, the upstream results it evaluates (the slices, the pools, the
// REG-Nets and the agreement baseline's members) and eval.*'s
// quality-control settings.
type evaluation struct {
	w     *worker
	up    *upstream
	prep  *Prepared
	nets  regNets
	agree agreementMembers
	qc    qcSettings
	// failBelow is eval.fail_below.
	failBelow float64
}

// newEvaluation opens nets, the REG-Nets, and agree, the agreement
// baseline's members (members 0 for none), of up.
func newEvaluation(w *worker, up *upstream, qc qcSettings, nets netSettings, agree agreementSettings) (*evaluation, error) {
	prep, err := up.prepared()
	if err != nil {
		return nil, err
	}
	return &evaluation{w: w, up: up, prep: prep, nets: up.regNets(nets), agree: up.agreement(agree), qc: qc, failBelow: qc.FailBelow}, nil
}

// test is the test pool.
func (ev *evaluation) test() (*Pool, error) { return ev.up.pool(results.Test) }
