package config

// The settings that take one of a few words are typed here, once: the
// experiments compare against these constants, and Validate checks a value
// against its type's list.

// Masking is what REC-Net sees of the image.
type Masking string

const (
	MaskTarget     Masking = "target"     // x · (1 − s), the paper
	MaskBackground Masking = "background" // x · s, an ablation
)

// Maskings lists the allowed values.
var Maskings = []Masking{MaskTarget, MaskBackground}

// TrainOn is REC-Net's training set.
type TrainOn string

const (
	TrainOnGT    TrainOn = "gt"     // ground-truth masks only, the paper
	TrainOnGTZoo TrainOn = "gt+zoo" // and the pool's segmentations
)

// TrainOns lists the allowed values.
var TrainOns = []TrainOn{TrainOnGT, TrainOnGTZoo}

// PoolFill is what happens when the zoo leaves a Dice bin short.
type PoolFill string

const (
	FillPerturb PoolFill = "perturb" // top up with perturbed ground truth: erosions, dilations, shifts, holes, blobs
	FillGrow    PoolFill = "grow"    // top up with over-segmented ground truth: dilations, blobs, shifts, as the zoo fails
	FillScatter PoolFill = "scatter" // as perturb, with larger blobs anywhere in the slice and longer shifts: errors far from the target too
	FillError   PoolFill = "error"   // stop, naming the split and bin
)

// PoolFills lists the allowed values.
var PoolFills = []PoolFill{FillPerturb, FillGrow, FillScatter, FillError}

// PoolSource is where the pool's segmentations come from.
type PoolSource string

const (
	SourceZoo     PoolSource = "zoo"     // the U-Net zoo, the paper
	SourcePerturb PoolSource = "perturb" // perturbed ground truth only
)

// PoolSources lists the allowed values.
var PoolSources = []PoolSource{SourceZoo, SourcePerturb}

// Adversarial is how the REG-Nets are trained against attacks.
type Adversarial string

const (
	AdvNone   Adversarial = "none"   // clean training
	AdvFGSM   Adversarial = "fgsm"   // part of each batch replaced by FGSM examples
	AdvPGD    Adversarial = "pgd"    // by PGD examples (Madry et al. 2018)
	AdvTRADES Adversarial = "trades" // clean loss + beta |f(x_adv) − f(x)| (Zhang et al. 2019)
)

// Adversarials lists the allowed values.
var Adversarials = []Adversarial{AdvNone, AdvFGSM, AdvPGD, AdvTRADES}

// AdvThrough is what adversarial training perturbs in the proposed
// pipeline; the baseline's input is the image either way.
type AdvThrough string

const (
	ThroughX AdvThrough = "x" // the image, through the frozen REC-Net (the adaptive threat)
	ThroughD AdvThrough = "d" // the difference image
)

// AdvThroughs lists the allowed values.
var AdvThroughs = []AdvThrough{ThroughX, ThroughD}

// oneOfType adds a problem when v is not in allowed.
func oneOfType[T ~string](p *problems, key string, v T, allowed []T) {
	words := make([]string, len(allowed))
	for i, a := range allowed {
		words[i] = string(a)
	}
	p.oneOf(key, string(v), words...)
}

// Source is where the images come from.
type Source string

const (
	SourceSynthetic Source = "synthetic" // phantoms made from the seed
	SourceACDC      Source = "acdc"      // an ACDC-layout folder, data.root
)

// Sources lists the allowed values.
var Sources = []Source{SourceSynthetic, SourceACDC}

// Device is where TensorFlow runs.
type Device string

const (
	DeviceAuto Device = "auto" // a GPU when there is one, else the CPU
	DeviceCPU  Device = "cpu"
	DeviceGPU  Device = "gpu" // fails at once without a GPU
)

// Devices lists the allowed values.
var Devices = []Device{DeviceAuto, DeviceCPU, DeviceGPU}

// Precision is what the networks' convolutions and matrix products
// compute in (graphs.Precision).
type Precision string

const (
	Float32  Precision = "float32"
	BFloat16 Precision = "bfloat16" // mixed precision, as Keras's mixed_bfloat16
	// PrecisionAuto is bfloat16 for the convolutional networks (the zoo
	// and REC-Net) on a CPU that computes in it natively, and float32
	// elsewhere (on a GPU too) and for the REG-Nets, without a note: a
	// default that every machine can take. A run resolves it before
	// anything is keyed on it.
	PrecisionAuto Precision = "auto"
)

// Precisions lists the allowed values.
var Precisions = []Precision{Float32, BFloat16, PrecisionAuto}

// Resolved lists the precisions a run computes in, once auto is resolved.
var Resolved = []Precision{Float32, BFloat16}

// Or is p, or def when p is empty: a network's own precision (zoo.precision,
// recnet.precision, regnet.precision) or else runtime.precision.
func (p Precision) Or(def Precision) Precision {
	if p == "" {
		return def
	}
	return p
}

// Schedule is how the learning rate changes over epochs.
type Schedule string

const (
	ScheduleConstant Schedule = "constant"
	ScheduleCosine   Schedule = "cosine" // from lr down to lr/20
)

// Schedules lists the allowed values.
var Schedules = []Schedule{ScheduleConstant, ScheduleCosine}

// Init is how a network's weights start (graphs.InitScheme).
type Init string

const (
	InitHe    Init = "he"    // truncated normal, zero biases
	InitTorch Init = "torch" // PyTorch's uniform defaults
)

// Inits lists the allowed values.
var Inits = []Init{InitHe, InitTorch}

// Loss is a training loss (graphs.Loss).
type Loss string

const (
	LossL1      Loss = "l1"
	LossL2      Loss = "l2"
	LossDice    Loss = "dice"
	LossBCE     Loss = "bce"
	LossDiceBCE Loss = "dice+bce"
	// LossBatchDiceBCE is soft Dice over the whole batch plus per-sample
	// binary cross-entropy (graphs.BatchDiceBCE).
	LossBatchDiceBCE Loss = "batchdice+bce"
)

// The losses each kind of network may train with: segmentation for the
// zoo, regression for REG-Nets.
var (
	SegmentationLosses = []Loss{LossDice, LossBCE, LossDiceBCE, LossBatchDiceBCE}
	RegressionLosses   = []Loss{LossL1, LossL2}
)

// DScale is how the (d, s) REG-Net sees the difference image d.
type DScale string

const (
	DScaleRaw  DScale = "raw"  // d = |x − r(x · (1 − s))| as it is, the paper's formula
	DScalePool DScale = "pool" // d divided by its 99th percentile over the training pool
	DScaleStd  DScale = "std"  // d divided by std(d) / std(x) over the training pool: d spreads as x does
)

// DScales lists the allowed values.
var DScales = []DScale{DScaleRaw, DScalePool, DScaleStd}

// Checkpoint is which of a REG-Net's training checkpoints the tables use.
type Checkpoint string

const (
	CheckpointBest Checkpoint = "best" // the epoch with the best validation metric (model selection)
	CheckpointLast Checkpoint = "last" // the last epoch trained, as a training loop without model selection keeps
)

// Checkpoints lists the allowed values.
var Checkpoints = []Checkpoint{CheckpointBest, CheckpointLast}

// ConformalMethod is how the conformal intervals are calibrated.
type ConformalMethod string

const (
	ConformalSplit   ConformalMethod = "split"   // split conformal, each calibration sample a unit
	ConformalPatient ConformalMethod = "patient" // hierarchical conformal, each calibration patient a unit
)

// ConformalMethods lists the allowed values.
var ConformalMethods = []ConformalMethod{ConformalSplit, ConformalPatient}
