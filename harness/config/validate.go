package config

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/segqa/segqa/harness/shared/results"
)

// ErrInvalid is wrapped by every error that Validate returns.
var ErrInvalid = errors.New("config: invalid settings")

// problems collects one message per bad key.
type problems []string

func (p *problems) add(key, format string, args ...any) {
	*p = append(*p, key+": "+fmt.Sprintf(format, args...))
}

func (p *problems) positive(key string, v int) {
	if v < 1 {
		p.add(key, "must be at least 1, got %d", v)
	}
}

func (p *problems) oneOf(key, v string, allowed ...string) {
	if !slices.Contains(allowed, v) {
		p.add(key, "must be one of %s, got %q", strings.Join(allowed, ", "), v)
	}
}

func (p *problems) rate(key string, v float64) {
	if !(v > 0 && v < 1) {
		p.add(key, "learning rate must be in (0, 1), got %g", v)
	}
}

// precision checks a network's own precision, which may be empty.
func (p *problems) precision(key string, v Precision) {
	if v != "" {
		oneOfType(p, key, v, Precisions)
	}
}

func (p *problems) training(prefix string, t Training) {
	p.positive(prefix+".epochs", t.Epochs)
	p.positive(prefix+".batch", t.Batch)
	if t.Patience < 0 {
		p.add(prefix+".patience", "must be 0 (no early stopping) or positive, got %d", t.Patience)
	}
	p.rate(prefix+".lr", t.LR)
	oneOfType(p, prefix+".lr_schedule", t.LRSchedule, Schedules)
	oneOfType(p, prefix+".init", t.Init, Inits)
	p.precision(prefix+".precision", t.Precision)
	if !(t.AdamEps > 0 && t.AdamEps <= 1) {
		p.add(prefix+".adam_epsilon", "must be in (0, 1], got %g", t.AdamEps)
	}
}

// Validate explains every out-of-range value, one line per key.
func (c Config) Validate() error {
	var p problems
	if c.Runtime.Threads < 0 || c.Runtime.Threads > 1024 {
		p.add("runtime.threads", "must be 0 (every core) to 1024, got %d", c.Runtime.Threads)
	}
	if c.Runtime.SideBySide < 0 || c.Runtime.SideBySide > 64 {
		p.add("runtime.side_by_side", "must be 0 (2 on a CPU with 2 threads or more) to 64, got %d", c.Runtime.SideBySide)
	}
	oneOfType(&p, "runtime.device", c.Runtime.Device, Devices)
	oneOfType(&p, "runtime.precision", c.Runtime.Precision, Precisions)
	c.Data.validate(&p)
	c.Zoo.validate(&p)
	c.Pool.validate(&p)
	c.RecNet.validate(&p, c.Data.Size)
	c.RegNet.validate(&p, c.Data.Size)
	c.Attack.validate(&p)
	c.Eval.validate(&p)
	c.calibration(&p)
	c.Certify.validate(&p)
	if c.Report.Samples < 0 || c.Report.Samples > 64 {
		p.add("report.samples", "must be 0 to 64, got %d", c.Report.Samples)
	}
	if len(p) > 0 {
		return fmt.Errorf("%w:\n  %s", ErrInvalid, strings.Join(p, "\n  "))
	}
	return nil
}

func (d Data) validate(p *problems) {
	oneOfType(p, "data.source", d.Source, Sources)
	if d.Source == SourceACDC && d.Root == "" {
		p.add("data.root", "is required when data.source is acdc")
	}
	if d.Source == SourceSynthetic && (d.Patients < 3 || d.Patients > 10000) {
		p.add("data.patients", "must be 3 to 10000 (one per split at least), got %d", d.Patients)
	}
	if len(d.Label) == 0 {
		p.add("data.label", "needs at least one label")
	}
	for _, l := range d.Label {
		if l < 1 || l > 255 {
			p.add("data.label", "label %d is outside 1..255", l)
		}
	}
	if d.Size < 16 || d.Size > 1024 || d.Size%16 != 0 {
		p.add("data.size", "must be a multiple of 16 from 16 to 1024, got %d", d.Size)
	}
	if !(d.SpacingMM > 0 && d.SpacingMM <= 20) {
		p.add("data.spacing_mm", "must be in (0, 20], got %g", d.SpacingMM)
	}
	if len(d.Percentiles) != 2 || !(d.Percentiles[0] >= 0 && d.Percentiles[0] < d.Percentiles[1] && d.Percentiles[1] <= 100) {
		p.add("data.percentiles", "must be [lo, hi] with 0 <= lo < hi <= 100, got %v", d.Percentiles)
	}
	sum := 0.0
	for _, f := range d.Split {
		if !(f > 0) {
			p.add("data.split", "fractions must be positive, got %v", d.Split)
			break
		}
		sum += f
	}
	if len(d.Split) != 3 || math.Abs(sum-1) > 1e-6 {
		p.add("data.split", "must be three fractions (train, val, test) summing to 1, got %v", d.Split)
	}
	if d.CalibPatients < 0 || d.CalibPatients > 10000 {
		p.add("data.calib_patients", "must be 0 (calibrate on the validation pool) to 10000, got %d", d.CalibPatients)
	}
	if d.Source == SourceSynthetic && d.Patients+d.CalibPatients > 10000 {
		p.add("data.calib_patients", "with data.patients (%d) must make at most 10000 phantoms, got %d", d.Patients, d.CalibPatients)
	}
}

func (z Zoo) validate(p *problems) {
	if len(z.Depths) == 0 || len(z.Filters) == 0 || len(z.Epochs) == 0 {
		p.add("zoo", "depths, filters and epochs each need at least one value")
	}
	for _, d := range z.Depths {
		if d < 1 || d > 6 {
			p.add("zoo.depths", "depth %d is outside 1..6", d)
		}
	}
	for _, f := range z.Filters {
		p.positive("zoo.filters", f)
	}
	if !slices.IsSorted(z.Epochs) || slices.Contains(z.Epochs, 0) || (len(z.Epochs) > 0 && z.Epochs[0] < 0) {
		p.add("zoo.epochs", "must be positive and increasing, got %v", z.Epochs)
	}
	p.positive("zoo.batch", z.Batch)
	p.rate("zoo.lr", z.LR)
	oneOfType(p, "zoo.loss", z.Loss, SegmentationLosses)
	oneOfType(p, "zoo.init", z.Init, Inits)
	p.precision("zoo.precision", z.Precision)
	if !(z.Threshold > 0 && z.Threshold < 1) {
		p.add("zoo.threshold", "must be in (0, 1), got %g", z.Threshold)
	}
}

func (o Pool) validate(p *problems) {
	p.positive("pool.bins", o.Bins)
	for _, kv := range []struct {
		key string
		n   int
	}{{"pool.train", o.Train}, {"pool.val", o.Val}, {"pool.test", o.Test}} {
		key, n := kv.key, kv.n
		if o.Bins > 0 && (n < o.Bins || n%o.Bins != 0) {
			p.add(key, "must be a positive multiple of pool.bins (%d), got %d", o.Bins, n)
		}
	}
	if o.Calib != 0 && o.Bins > 0 && (o.Calib < o.Bins || o.Calib%o.Bins != 0) {
		p.add("pool.calib", "must be 0 (pool.val's size) or a positive multiple of pool.bins (%d), got %d", o.Bins, o.Calib)
	}
	if o.CalibLikeTest && o.Calib != 0 {
		p.add("pool.calib", "must be 0 with pool.calib_like_test (each group of calibration patients draws pool.test samples), got %d", o.Calib)
	}
	oneOfType(p, "pool.fill", o.Fill, PoolFills)
	oneOfType(p, "pool.source", o.Source, PoolSources)
}

func (r RecNet) validate(p *problems, size int) {
	if r.Depth < 1 || r.Depth > 6 || (size > 0 && size%(1<<r.Depth) != 0) {
		p.add("recnet.depth", "must be 1..6 with data.size (%d) divisible by 2^depth, got %d", size, r.Depth)
	}
	p.positive("recnet.filters", r.Filters)
	oneOfType(p, "recnet.masking", r.Masking, Maskings)
	oneOfType(p, "recnet.train_on", r.TrainOn, TrainOns)
	p.training("recnet", r.Training)
}

func (r RegNet) validate(p *problems, size int) {
	if r.Blocks < 1 || r.Blocks > 7 || (size > 0 && size%(1<<r.Blocks) != 0) {
		p.add("regnet.blocks", "must be 1..7 with data.size (%d) divisible by 2^blocks, got %d", size, r.Blocks)
	}
	p.positive("regnet.filters", r.Filters)
	for _, d := range r.Dense {
		p.positive("regnet.dense", d)
	}
	if !(r.Dropout >= 0 && r.Dropout < 1) {
		p.add("regnet.dropout", "must be in [0, 1), got %g", r.Dropout)
	}
	oneOfType(p, "regnet.loss", r.Loss, RegressionLosses)
	if len(r.Inputs) == 0 {
		p.add("regnet.inputs", "needs at least one of xs, ds, xds, s")
	}
	for _, in := range r.Inputs {
		if !slices.Contains(results.Inputs, in) {
			p.add("regnet.inputs", "must each be one of xs, ds, xds, s, got %q", in)
		}
	}
	oneOfType(p, "regnet.d_scale", r.DScale, DScales)
	oneOfType(p, "regnet.checkpoint", r.Checkpoint, Checkpoints)
	if !(r.NoiseSigma >= 0 && r.NoiseSigma <= 4) {
		p.add("regnet.noise_sigma", "must be 0 (clean training) to 4, got %g", r.NoiseSigma)
	}
	p.training("regnet", r.Training)
	r.Robust.validate(p)
}

func (r Robust) validate(p *problems) {
	oneOfType(p, "regnet.adversarial", r.Adversarial, Adversarials)
	oneOfType(p, "regnet.adv_through", r.AdvThrough, AdvThroughs)
	if r.Adversarial != AdvNone && len(r.AdvEps) == 0 {
		p.add("regnet.adv_eps", "needs at least one epsilon when regnet.adversarial is %s", r.Adversarial)
	}
	for _, e := range r.AdvEps {
		if !(e >= 0 && e <= 2) {
			p.add("regnet.adv_eps", "every epsilon must be in [0, 2], got %g", e)
		}
	}
	p.positive("regnet.adv_steps", r.AdvSteps)
	if !(r.AdvMix >= 0 && r.AdvMix <= 1) {
		p.add("regnet.adv_mix", "must be a share in [0, 1], got %g", r.AdvMix)
	}
	if !(r.TradesBeta >= 0 && r.TradesBeta <= 1000) {
		p.add("regnet.trades_beta", "must be in [0, 1000], got %g", r.TradesBeta)
	}
}

func (a Attack) validate(p *problems) {
	for _, e := range a.Eps {
		if !(e > 0 && e <= 2) {
			p.add("attack.eps", "every epsilon must be in (0, 2], got %g", e)
		}
	}
	if !slices.IsSorted(a.Eps) {
		p.add("attack.eps", "must be increasing, got %v", a.Eps)
	}
	p.positive("attack.steps", a.Steps)
	if !(a.StepSize >= 0 && a.StepSize <= 2) { // NaN fails too
		p.add("attack.step_size", "must be 0 (automatic: 2.5 / steps) or a fraction of eps in (0, 2], got %g", a.StepSize)
	}
	p.positive("attack.restarts", a.Restarts)
	p.positive("attack.batch", a.Batch)
	p.positive("attack.apgd_steps", a.APGDSteps)
	p.positive("attack.apgd_restarts", a.APGDRestarts)
	if a.Queries < 1 || a.Queries > 1_000_000 {
		p.add("attack.queries", "must be 1 to 1000000 forward passes per sample, got %d", a.Queries)
	}
	if a.HuntQueries < 1 || a.HuntQueries > 1_000_000 {
		p.add("attack.hunt_queries", "must be 1 to 1000000 forward passes per sample, got %d", a.HuntQueries)
	}
	if a.Samples < 0 {
		p.add("attack.samples", "must be 0 (every test sample) or positive, got %d", a.Samples)
	}
}

func (e Eval) validate(p *problems) {
	if !(e.FailBelow > 0 && e.FailBelow < 1) { // NaN fails too
		p.add("eval.fail_below", "must be a Dice in (0, 1), got %g", e.FailBelow)
	}
	if !(e.Alpha > 0 && e.Alpha < 1) {
		p.add("eval.alpha", "must be a miscoverage in (0, 1), got %g", e.Alpha)
	}
	oneOfType(p, "eval.conformal", e.Conformal, ConformalMethods)
	if len(e.Band) != 2 || !(e.Band[0] >= 0 && e.Band[0] < e.Band[1] && e.Band[1] <= 1) {
		p.add("eval.band", "must be [lo, hi] with 0 <= lo < hi <= 1, got %v", e.Band)
	}
	if !(e.TieMargin > 0 && e.TieMargin < 0.5) {
		p.add("eval.tie_margin", "must be a difference of MAE in (0, 0.5), got %g", e.TieMargin)
	}
	if !(e.SensitivityMin > 0 && e.SensitivityMin < 0.5) {
		p.add("eval.sensitivity_min", "must be a mean |Δ| of predicted Dice in (0, 0.5), got %g", e.SensitivityMin)
	}
	if e.AgreementMembers < 0 || e.AgreementMembers > 15 {
		p.add("eval.agreement_members", "must be 0 (no agreement baseline) to 15 reference U-Nets, got %d", e.AgreementMembers)
	}
	if e.AgreementMembers > 0 {
		p.positive("eval.agreement_epochs", e.AgreementEpochs)
		if e.AgreementPatience < 0 {
			p.add("eval.agreement_patience", "must be 0 (train every epoch) or more, got %d", e.AgreementPatience)
		}
	}
}

// calibration checks that patient-level intervals can be finite: at
// eval.alpha they need at least ceil((1 - alpha) / alpha) calibration
// patients (9 at 0.1; see stats.MinPatients). Without
// data.calib_patients the validation patients calibrate, whose number
// the data decides: a run with too few logs it and gives [0, 1].
func (c Config) calibration(p *problems) {
	e := c.Eval
	if e.Conformal != ConformalPatient || c.Data.CalibPatients == 0 || !(e.Alpha > 0 && e.Alpha < 1) {
		return
	}
	if need := int(math.Ceil((1-e.Alpha)/e.Alpha - 1e-9)); c.Data.CalibPatients < need {
		p.add("data.calib_patients", "eval.conformal patient at eval.alpha %g needs at least %d calibration patients for a finite interval, got %d", e.Alpha, need, c.Data.CalibPatients)
	}
}
