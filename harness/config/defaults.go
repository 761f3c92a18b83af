package config

import "github.com/segqa/segqa/harness/shared/results"

// Default is the paper's configuration where the paper is specific, and
// segqa's choices (documented in configs/paper.yaml) where it is not. The
// paper used PyTorch, so the networks start and train with its defaults
// (init torch, Adam epsilon 1e-8): with TensorFlow's He initialisation the
// REG-Nets fit as well but break far sooner under attack (issue 10).
func Default() Config {
	return Config{
		Seed:    1,
		Runtime: Runtime{Threads: 0, Device: "auto", Precision: PrecisionAuto, Progress: true, SideBySide: 0, Verify: true},
		Data: Data{
			Source: "synthetic", Patients: 100, Label: []int{2},
			Size: 128, SpacingMM: 1.5, Percentiles: []float64{1, 99},
			Split: []float64{0.8, 0.1, 0.1},
		},
		Zoo: Zoo{
			Depths: []int{4, 2}, Filters: []int{8, 4}, Epochs: []int{10, 20, 30, 50, 150},
			Batch: 16, LR: 1e-3, Loss: "dice+bce", Augment: true, Threshold: 0.5, Init: "torch",
		},
		Pool: Pool{Bins: 10, Train: 3200, Val: 1000, Test: 1000, Fill: FillScatter, Source: SourceZoo},
		RecNet: RecNet{
			Depth: 4, Filters: 32, Masking: MaskTarget, TrainOn: TrainOnGT,
			Training: Training{Epochs: 500, Batch: 16, LR: 1e-4, LRSchedule: "constant", Augment: true, Init: "torch", AdamEps: 1e-8},
		},
		RegNet: RegNet{
			Blocks: 5, Filters: 16, Dense: []int{256, 64}, Dropout: 0.5, Loss: "l1",
			Inputs: []results.Input{results.InputXS, results.InputDS}, DScale: DScaleRaw, Checkpoint: CheckpointBest,
			Training: Training{Epochs: 200, Batch: 16, LR: 1e-4, LRSchedule: "constant", Augment: true, Init: "torch", AdamEps: 1e-8},
			Robust: Robust{
				Adversarial: AdvNone, AdvEps: []float64{0.05, 0.1, 0.2, 0.3}, AdvSteps: 3, AdvMix: 0.5,
				AdvThrough: ThroughX, TradesBeta: 1,
			},
		},
		Attack: Attack{
			Eps: []float64{0.05, 0.1, 0.2, 0.3}, Clip: true, Steps: 10, RandomStart: true,
			Restarts: 1, Batch: 32, APGDSteps: 20, APGDRestarts: 2, Queries: 100, Strong: true,
			HuntQueries: 1000,
		},
		Eval: Eval{FailBelow: 0.7, Alpha: 0.1, Conformal: ConformalSplit, Band: []float64{results.DefaultBand[0], results.DefaultBand[1]}, SensitivityMin: results.DefaultSensitivityMin, TieMargin: results.DefaultTieMargin,
			AgreementMembers: 3, AgreementEpochs: 150, AgreementPatience: 10},
		Certify: Certify{Sigma: []float64{0.12, 0.25}, Samples: 200, Alpha: 0.01, Radii: []float64{0.05, 0.1, 0.25}, Batch: 128},
		Report:  Report{Figures: true, Samples: 6, TensorBoard: true},
	}
}
