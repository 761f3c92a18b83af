package results

// StageName names a stage of the pipeline; a stage's folder in a store is
// NAME-KEY. Each layer has one word for a stage, and they meet at its
// name: here the name itself; in harness/run a Stage is a stage as stored
// (its folder, key and DONE record); in harness/runner a Step is one stage
// as the runner runs it (its stored stage, the stages it reads, its run
// function); experiments declares each stage once, as a stageDef (its
// settings, reads, key and run function), from which the Steps are made.
type StageName string

// The pipeline's stages, in the order they run.
const (
	StageData StageName = "data"
	StageZoo  StageName = "zoo"
	StagePool StageName = "pool"
	// StageAgreement trains the reference U-Nets of the agreement baseline.
	StageAgreement StageName = "agreement"
	StageRecNet    StageName = "recnet"
	StageRegNet    StageName = "regnet"
	StageTable1    StageName = "table1"
	StageTable2    StageName = "table2"
	// StageCertify smooths the REG-Nets with Gaussian noise and certifies
	// their predictions (certify.*); it does nothing unless enabled.
	StageCertify StageName = "certify"
)

// Stages lists the stages in the order they run.
var Stages = []StageName{StageData, StageZoo, StagePool, StageAgreement, StageRecNet, StageRegNet, StageTable1, StageTable2, StageCertify}

// StageNames are the names of stages, as strings.
func StageNames(stages []StageName) []string {
	out := make([]string, len(stages))
	for i, s := range stages {
		out[i] = string(s)
	}
	return out
}

// Split names a data split, by patient.
type Split string

// The data splits, in order.
const (
	Train Split = "train"
	Val   Split = "val"
	Test  Split = "test"
)

// Splits lists the splits in order.
var Splits = []Split{Train, Val, Test}

// Calib is the patients set aside to calibrate the conformal intervals
// (data.calib_patients), used for nothing else; not in Splits, which
// every run has.
const Calib Split = "calib"

// The methods of the paper's tables.
const (
	MethodBaseline = "Robinson et al."
	MethodProposed = "proposed"
	MethodAblation = "ablation"
	// MethodAgreement predicts the Dice of s against the majority vote of
	// reference U-Nets, with no quality regressor.
	MethodAgreement = "agreement"
	// MethodSegmentation is the control that sees no image: a REG-Net on
	// the segmentation alone, what the shape of s tells of its Dice.
	MethodSegmentation = "segmentation alone"
)

// Input is the kind of input a REG-Net regresses Dice from.
type Input string

// The REG-Net inputs.
const (
	InputXS  Input = "xs"  // Robinson et al.: the image and the segmentation
	InputDS  Input = "ds"  // proposed: the difference image and the segmentation
	InputXDS Input = "xds" // ablation: image, difference image and segmentation
	InputS   Input = "s"   // control: the segmentation alone, no image input
)

// Inputs lists the known inputs in order.
var Inputs = []Input{InputXS, InputDS, InputXDS, InputS}

// Method is the method an input belongs to in the tables.
func (in Input) Method() string {
	switch in {
	case InputXS:
		return MethodBaseline
	case InputDS:
		return MethodProposed
	case InputS:
		return MethodSegmentation
	}
	return MethodAblation
}

// ImageInputs are the network's inputs besides s, which an input
// sensitivity check replaces, as the paper writes them: "x" for (x, s),
// "d" for (d, s), "x, d" for (x, d, s); empty for InputS, which has none.
func (in Input) ImageInputs() string {
	switch in {
	case InputXS:
		return "x"
	case InputDS:
		return "d"
	case InputXDS:
		return "x, d"
	}
	return ""
}

// Channels is the network's input as the paper writes it, e.g. "x, s".
func (in Input) Channels() string {
	switch in {
	case InputXS:
		return "x, s"
	case InputDS:
		return "d, s"
	case InputXDS:
		return "x, d, s"
	case InputS:
		return "s"
	}
	return string(in)
}

// Name is the method and its input, e.g. "Robinson et al. (x, s)".
func (in Input) Name() string { return in.Method() + " (" + in.Channels() + ")" }

// Files of a run directory, relative to it.
const (
	ConfigFile        = "config.json"
	ManifestFile      = "manifest.json"
	DatasetFile       = "results/dataset.json"
	PoolFile          = "results/pool.json"
	ZooFile           = "results/zoo.json"
	RecNetHistoryFile = "results/recnet_history.json"
	Table1File        = "results/table1.json"
	Table2File        = "results/table2.json"
	PredictionsFile   = "results/predictions.json"
	ConformalFile     = "results/conformal.json"
	CertifiedFile     = "results/certified.json"
	FiguresDir        = "results/figures"
	SweepFile         = "sweep.json"   // of a sweep directory
	OutcomeFile       = "outcome.json" // of a sweep cell: how its last run ended
)
