package results

import "time"

// Dataset is results/dataset.json: what the data stage prepared.
type Dataset struct {
	Source       string               `json:"source"`
	Root         string               `json:"root,omitempty"`
	Splits       map[Split]SplitCount `json:"splits"`
	Size         int                  `json:"size"`
	SpacingMM    float64              `json:"spacing_mm"`
	Label        []int                `json:"label"`
	DroppedEmpty int                  `json:"dropped_empty"`
	SkippedNoGT  int                  `json:"skipped_no_gt"`
}

// SplitCount counts the patients and slices of one split.
type SplitCount struct {
	Patients int      `json:"patients"`
	Slices   int      `json:"slices"`
	IDs      []string `json:"ids"`
}

// Pool is results/pool.json: each split's Dice-uniform pool.
type Pool map[Split]PoolSplit

// PoolSplit is one split of the pool.
type PoolSplit struct {
	Patients  []string `json:"patients"`
	Samples   int      `json:"samples"`
	Perturbed int      `json:"perturbed"`
	Bins      []Bin    `json:"bins"`
}

// Bin is one Dice bin of a pool split.
type Bin struct {
	Lo        float64 `json:"lo"`
	Hi        float64 `json:"hi"`
	Available int     `json:"available"` // zoo candidates in the bin
	Sampled   int     `json:"sampled"`   // drawn into the pool, perturbed included
	Perturbed int     `json:"perturbed"` // made by perturbing the ground truth
	// ZooArea and PerturbedArea are the mean area of the bin's zoo and
	// perturbed segmentations, in units of their ground truth's area
	// (0 where the bin holds none, or only empty masks): how alike the two
	// sources fail.
	ZooArea       float64 `json:"zoo_area,omitempty"`
	PerturbedArea float64 `json:"perturbed_area,omitempty"`
}

// Predictions is results/predictions.json: every method's prediction for
// every test sample, so that methods can be compared on the same samples.
type Predictions struct {
	Patients  []string            `json:"patients"`
	Sources   []string            `json:"sources"`
	TrueDice  []float64           `json:"true_dice"`
	Predicted map[Input][]float64 `json:"predicted"`
}

// History is the state of one network's training, stored with every
// checkpoint and as results/recnet_history.json.
type History struct {
	Name      string  `json:"name"`
	Epoch     int     `json:"epoch"` // last finished epoch
	BestEpoch int     `json:"best_epoch"`
	Best      float64 `json:"best_metric"`
	// Stopped says why training ended: StopConverged or StopMaxEpochs;
	// empty while it runs.
	Stopped string  `json:"stopped,omitempty"`
	History []Epoch `json:"history"`
}

// Why training ends.
const (
	StopConverged = "converged" // no better validation score for the patience
	StopMaxEpochs = "max_epochs"
)

// Epoch is one row of a training history.
type Epoch struct {
	Epoch     int     `json:"epoch"`
	TrainLoss float64 `json:"train_loss"`
	ValLoss   float64 `json:"val_loss"`
	ValMetric float64 `json:"val_metric"`
	Seconds   float64 `json:"seconds"`
	ImagesPS  float64 `json:"images_per_second"`
}

// Sweep is sweep.json: a grid of settings over a base config, each point
// run with every seed.
type Sweep struct {
	BaseConfig string   `json:"base_config"`
	Sets       []string `json:"sets,omitempty"`
	Grid       []Axis   `json:"grid"`
	Seeds      []uint64 `json:"seeds"`
	Cells      []Cell   `json:"cells"`
}

// Axis is one dimension of a sweep's grid: a config key and its values.
type Axis struct {
	Key    string   `json:"key"`
	Values []string `json:"values"`
}

// Cell is one run of a sweep: a point of the grid and a seed.
type Cell struct {
	Name     string            `json:"name"`
	Settings map[string]string `json:"settings"`
	Seed     uint64            `json:"seed"`
	Dir      string            `json:"dir"` // relative to the sweep directory
}

// Outcome is a sweep cell's outcome.json: how its last run ended. A run
// that is under way, or whose process was killed, has none.
type Outcome struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
	// Stopped names what stopped the run before it finished (a signal):
	// the cell did not fail, and the same command resumes it.
	Stopped  string    `json:"stopped,omitempty"`
	Finished time.Time `json:"finished"`
	Seconds  float64   `json:"seconds"`
	Host     string    `json:"host"`
	// SlurmJob is the Slurm task that ran it (JOB_INDEX), if any.
	SlurmJob string `json:"slurm_job,omitempty"`
	// Keys are the stage keys of the settings it ran with, computed from
	// the config alone, to compare with other settings.
	Keys map[string]string `json:"keys,omitempty"`
}

// Failed reports whether the run ended on an error of its own, not
// stopped by a signal.
func (o Outcome) Failed() bool { return !o.OK && o.Stopped == "" }
