package config

import "github.com/segqa/segqa/harness/shared/results"

// Config is a whole segqa run. Keys are lower-case and dotted, grouped by
// stage: seed, runtime.*, data.*, zoo.*, pool.*, recnet.*, regnet.*,
// attack.*, eval.*, certify.*, report.*.
type Config struct {
	Seed    uint64  `mapstructure:"seed" json:"seed"`
	Runtime Runtime `mapstructure:"runtime" json:"runtime"`
	Data    Data    `mapstructure:"data" json:"data"`
	Zoo     Zoo     `mapstructure:"zoo" json:"zoo"`
	Pool    Pool    `mapstructure:"pool" json:"pool"`
	RecNet  RecNet  `mapstructure:"recnet" json:"recnet"`
	RegNet  RegNet  `mapstructure:"regnet" json:"regnet"`
	Attack  Attack  `mapstructure:"attack" json:"attack"`
	Eval    Eval    `mapstructure:"eval" json:"eval"`
	Certify Certify `mapstructure:"certify" json:"certify"`
	Report  Report  `mapstructure:"report" json:"report"`
}

// Runtime settings change speed, never the experiment. The number of
// threads a network trains on (threads, side_by_side) changes the order of
// floating-point sums, hence the last bits of results; the same settings on
// the same machine give the same numbers.
type Runtime struct {
	Threads int    `mapstructure:"threads" json:"threads"` // 0: every core
	Device  Device `mapstructure:"device" json:"device"`   // auto, cpu or gpu
	// Precision is float32, bfloat16 (mixed precision; float32, with a
	// note, where the CPU has no native bfloat16) or auto (bfloat16 for the
	// zoo and REC-Net where the CPU has it natively and no GPU may be used,
	// float32 for the REG-Nets and elsewhere, silently). It changes results
	// slightly, so the stages that train or run networks are keyed on the
	// precision it resolves to.
	Precision Precision `mapstructure:"precision" json:"precision"`
	Progress  bool      `mapstructure:"progress" json:"progress"` // progress bars on stderr
	// SideBySide is how many independent networks of a stage (the zoo's
	// U-Nets, the REG-Nets) train at once, each on an equal share of the
	// threads: small networks keep two cores busier side by side than one
	// network on both. 0, the default, is 2 on a CPU with 2 threads or
	// more, else 1. Like threads, it changes the last bits of results.
	SideBySide int `mapstructure:"side_by_side" json:"side_by_side"`
	// Verify checks the SHA-256 of every file of a finished stage before
	// the stage is reused (docs/store.md); without it only sizes are
	// checked. Either way a stage whose files differ from its DONE record
	// runs again.
	Verify bool `mapstructure:"verify" json:"verify"`
}

// Data selects and prepares the slices.
type Data struct {
	Source      Source    `mapstructure:"source" json:"source"`           // synthetic or acdc
	Root        string    `mapstructure:"root" json:"root"`               // acdc: folder of patientNNN folders
	Patients    int       `mapstructure:"patients" json:"patients"`       // synthetic: how many phantoms
	Label       []int     `mapstructure:"label" json:"label"`             // target label(s); 2 is the myocardium
	Size        int       `mapstructure:"size" json:"size"`               // square crop, pixels
	SpacingMM   float64   `mapstructure:"spacing_mm" json:"spacing_mm"`   // in-plane resampling
	Percentiles []float64 `mapstructure:"percentiles" json:"percentiles"` // intensity clipping before [-1, 1]
	KeepEmpty   bool      `mapstructure:"keep_empty" json:"keep_empty"`   // keep slices without the target
	Split       []float64 `mapstructure:"split" json:"split"`             // train, val, test fractions by patient
	// CalibPatients is how many patients calibrate the conformal intervals
	// and serve nothing else (no training, early stopping or model
	// selection). synthetic: that many phantoms more, patients
	// data.patients+1 onwards, so that the training, validation and test
	// patients are those of data.patients alone; acdc: drawn from the
	// patients of data.root, evenly over Info.cfg's groups, before
	// data.split shares out the rest. 0, the default, calibrates on the
	// validation pool.
	CalibPatients int `mapstructure:"calib_patients" json:"calib_patients,omitempty"`
}

// Training is shared by every network trained from scratch.
type Training struct {
	Epochs     int      `mapstructure:"epochs" json:"epochs"`     // the most epochs trained
	Patience   int      `mapstructure:"patience" json:"patience"` // stop after this many epochs without a better validation score; 0: never
	Batch      int      `mapstructure:"batch" json:"batch"`
	LR         float64  `mapstructure:"lr" json:"lr"`
	LRSchedule Schedule `mapstructure:"lr_schedule" json:"lr_schedule"`   // constant or cosine (down to lr/20)
	Augment    bool     `mapstructure:"augment" json:"augment"`           // random rotation by multiples of 90 degrees and flips
	Init       Init     `mapstructure:"init" json:"init"`                 // he (truncated normal, zero biases) or torch (PyTorch's uniform defaults)
	AdamEps    float64  `mapstructure:"adam_epsilon" json:"adam_epsilon"` // Adam's epsilon: 1e-7 in TensorFlow, 1e-8 in PyTorch
	// Precision overrides runtime.precision for this network (recnet) or
	// these networks (regnet); empty inherits it. The REG-Nets gain no
	// speed from bfloat16 and lose accuracy (README, issue 12).
	Precision Precision `mapstructure:"precision" json:"precision,omitempty"`
}

// Zoo trains deliberately weak-to-strong U-Nets.
type Zoo struct {
	Depths    []int   `mapstructure:"depths" json:"depths"`
	Filters   []int   `mapstructure:"filters" json:"filters"`
	Epochs    []int   `mapstructure:"epochs" json:"epochs"` // checkpoints kept, the last is the training length
	Batch     int     `mapstructure:"batch" json:"batch"`
	LR        float64 `mapstructure:"lr" json:"lr"`
	Loss      Loss    `mapstructure:"loss" json:"loss"`
	Augment   bool    `mapstructure:"augment" json:"augment"`
	Threshold float64 `mapstructure:"threshold" json:"threshold"`
	Init      Init    `mapstructure:"init" json:"init"` // he or torch, as recnet.init
	// Precision overrides runtime.precision for the zoo's U-Nets; empty
	// inherits it.
	Precision Precision `mapstructure:"precision" json:"precision,omitempty"`
}

// Pool samples Dice-uniform (slice, segmentation) pairs.
type Pool struct {
	Bins   int        `mapstructure:"bins" json:"bins"`
	Train  int        `mapstructure:"train" json:"train"`
	Val    int        `mapstructure:"val" json:"val"`
	Test   int        `mapstructure:"test" json:"test"`
	Fill   PoolFill   `mapstructure:"fill" json:"fill"`     // perturb, grow or error
	Source PoolSource `mapstructure:"source" json:"source"` // zoo (the paper) or perturb (ground-truth perturbations only)
	// Calib is the size of the calibration pool, drawn from the patients
	// of data.calib_patients; 0 is pool.val's. Without calibration
	// patients it is not used.
	Calib int `mapstructure:"calib" json:"calib,omitempty"`
	// CalibLikeTest draws the calibration pool as the test pool is drawn:
	// the calibration patients in groups of as many patients as the test
	// split has, each group a Dice-uniform pool of pool.test samples of its
	// own, so that the share of perturbed fill (which the zoo leaves to
	// few patients more often) is a test pool's; pool.calib must then be
	// 0. False: one pool of pool.calib samples over every calibration
	// patient (docs/qc.md).
	CalibLikeTest bool `mapstructure:"calib_like_test" json:"calib_like_test,omitempty"`
}

// RecNet is the reconstruction network.
type RecNet struct {
	Depth    int     `mapstructure:"depth" json:"depth"`
	Filters  int     `mapstructure:"filters" json:"filters"`
	Masking  Masking `mapstructure:"masking" json:"masking"`   // target (the paper) or background
	TrainOn  TrainOn `mapstructure:"train_on" json:"train_on"` // gt (the paper) or gt+zoo
	Training `mapstructure:",squash"`
}

// RegNet is the regressor, trained once per input kind.
type RegNet struct {
	Blocks  int             `mapstructure:"blocks" json:"blocks"`
	Filters int             `mapstructure:"filters" json:"filters"`
	Dense   []int           `mapstructure:"dense" json:"dense"`
	Dropout float64         `mapstructure:"dropout" json:"dropout"`
	Loss    Loss            `mapstructure:"loss" json:"loss"`     // l1 or l2 on Dice
	Inputs  []results.Input `mapstructure:"inputs" json:"inputs"` // xs (Robinson et al.), ds (proposed), xds, s (the segmentation alone)
	// DScale is raw (the paper: d as it is), pool (d divided, inside the
	// graph, by its 99th percentile over the training pool) or std (d
	// divided by std(d) / std(x) over the training pool, so that d spreads
	// as x does). The constant is stored with the REG-Nets, and an attack on
	// d perturbs what the network is fed.
	DScale DScale `mapstructure:"d_scale" json:"d_scale,omitempty"`
	// NoiseSigma trains with Gaussian noise of this standard deviation
	// added to x (not clipped), as randomized smoothing (certify.*) wants;
	// for the (d, s) network d is computed from the noisy x through
	// REC-Net. 0, the default, trains on clean x.
	NoiseSigma float64 `mapstructure:"noise_sigma" json:"noise_sigma,omitempty"`
	// Checkpoint is the weights the REG-Nets are used with: best (the epoch
	// with the best validation metric) or last (the last epoch trained, no
	// model selection). Training saves both, and the REG-Net stage's key
	// leaves the choice out: the stages that open the REG-Nets cover it.
	Checkpoint Checkpoint `mapstructure:"checkpoint" json:"checkpoint,omitempty"`
	Training   `mapstructure:",squash"`
	Robust     `mapstructure:",squash"`
}

// Robust is the adversarial training of the REG-Nets: before each training
// step the current network attacks its batch (see attack.Trainer).
type Robust struct {
	Adversarial Adversarial `mapstructure:"adversarial" json:"adversarial"` // none, fgsm, pgd or trades
	AdvEps      []float64   `mapstructure:"adv_eps" json:"adv_eps"`         // L∞ radii, one drawn per batch
	AdvSteps    int         `mapstructure:"adv_steps" json:"adv_steps"`     // PGD and TRADES steps, of 2.5 eps / steps each
	AdvMix      float64     `mapstructure:"adv_mix" json:"adv_mix"`         // fgsm, pgd: share of a batch left clean
	AdvThrough  AdvThrough  `mapstructure:"adv_through" json:"adv_through"` // proposed pipeline: x (through REC-Net) or d
	TradesBeta  float64     `mapstructure:"trades_beta" json:"trades_beta"` // weight of |f(x_adv) − f(x)| in TRADES
}

// Attack configures the adversarial evaluation.
type Attack struct {
	Eps         []float64 `mapstructure:"eps" json:"eps"`
	Clip        bool      `mapstructure:"clip" json:"clip"`
	Steps       int       `mapstructure:"steps" json:"steps"`
	StepSize    float64   `mapstructure:"step_size" json:"step_size"` // PGD step as a fraction of eps; 0: 2.5 / steps (Madry et al.)
	RandomStart bool      `mapstructure:"random_start" json:"random_start"`
	Restarts    int       `mapstructure:"restarts" json:"restarts"`
	Batch       int       `mapstructure:"batch" json:"batch"`
	// APGD (Croce and Hein 2020): steps and random restarts of each run.
	APGDSteps    int `mapstructure:"apgd_steps" json:"apgd_steps"`
	APGDRestarts int `mapstructure:"apgd_restarts" json:"apgd_restarts"`
	// Queries is the Square attack's budget of forward passes per sample.
	Queries int `mapstructure:"queries" json:"queries"`
	// Strong adds the APGD and Square rows (the worst-case rows are always
	// there, over the attacks run). They cost far more than the others.
	Strong bool `mapstructure:"strong" json:"strong"`
	// EpsRelative multiplies each attacked input's ε by that input's
	// standard deviation over the test pool divided by x's, so that attacks
	// on x and on d have the same size in units of their own spread; false
	// (the paper) uses the same ε for both.
	EpsRelative bool `mapstructure:"eps_relative" json:"eps_relative,omitempty"`
	// HuntQueries is the budget of forward passes per sample at each ε of
	// the gradient-free sign-flip search (attack.SignHunt), the check
	// against gradient masking with power; it runs with the strong
	// attacks.
	HuntQueries int `mapstructure:"hunt_queries" json:"hunt_queries,omitempty"`
	// Samples limits Table 2 to that many test samples, evenly spaced
	// over the test pool; 0 attacks them all.
	Samples int `mapstructure:"samples" json:"samples,omitempty"`
}

// Eval is how Tables 1 and 2 judge predicted Dice for quality control,
// beside MAE: which segmentations count as failed, and on which band of
// true Dice failure detection is measured apart, the miscoverage and the
// method of the conformal intervals calibrated on the calibration pool
// (the validation pool without data.calib_patients), the margin
// within which the two methods tie without attack, the agreement
// baseline, which predicts the Dice of s against the majority
// vote of reference U-Nets (the zoo's largest architecture, trained on the
// training split until their validation loss stops improving), and when a
// REG-Net counts as not using its image.
type Eval struct {
	FailBelow float64 `mapstructure:"fail_below" json:"fail_below"` // a true Dice below it is a failure; a prediction below it flags one
	Alpha     float64 `mapstructure:"alpha" json:"alpha"`           // intervals hold the true Dice with probability 1 - alpha
	// Conformal is how the intervals are calibrated: split (each
	// calibration sample a unit, the guarantee for exchangeable samples)
	// or patient (each calibration patient a unit, the guarantee for a
	// new patient's slices; docs/qc.md).
	Conformal ConformalMethod `mapstructure:"conformal" json:"conformal"`
	// ConformalGroups calibrates each group of patients (Info.cfg's Group)
	// apart, a Mondrian interval: a test sample gets its group's
	// half-width, which covers at 1 - alpha within the group.
	ConformalGroups bool `mapstructure:"conformal_groups" json:"conformal_groups"`
	// Band is [lo, hi]: failure detection is also measured on the test
	// samples whose true Dice is in [lo, hi), the segmentations near
	// eval.fail_below that are hard to judge (a band without
	// eval.fail_below inside has no failures or no passes to tell apart).
	Band []float64 `mapstructure:"band" json:"band"`
	// TieMargin is the margin, in MAE of predicted Dice, of Table 2's
	// claim that the two methods tie without attack: it holds when an
	// equivalence test (TOST) puts the difference of their errors within
	// ±TieMargin.
	TieMargin float64 `mapstructure:"tie_margin" json:"tie_margin"`
	// AgreementMembers is how many reference U-Nets vote; 0 leaves the
	// baseline out.
	AgreementMembers  int `mapstructure:"agreement_members" json:"agreement_members"`
	AgreementEpochs   int `mapstructure:"agreement_epochs" json:"agreement_epochs"`     // at most
	AgreementPatience int `mapstructure:"agreement_patience" json:"agreement_patience"` // epochs without a better validation loss
	// SensitivityMin is the mean |Δ prediction|, in Dice, below which a
	// REG-Net whose image input is replaced (by zeros, and by another test
	// sample's) counts as not moving: Table 1 flags a network that moves
	// less under both as one that does not use its image (docs/qc.md).
	SensitivityMin float64 `mapstructure:"sensitivity_min" json:"sensitivity_min"`
}

// Report selects what the report stage writes.
type Report struct {
	Figures bool `mapstructure:"figures" json:"figures"`
	Samples int  `mapstructure:"samples" json:"samples"` // slices shown in sample figures
	// TensorBoard writes every trained network's event file under
	// RUN/tensorboard.
	TensorBoard bool `mapstructure:"tensorboard" json:"tensorboard"`
}
