// Package experiments defines what segqa measures, as stages of one
// pipeline: data (prepared slices and the patient split), zoo (U-Nets of
// every quality and their segmentations), pool (Dice-uniform samples),
// agreement (the reference U-Nets of the agreement baseline, which needs no
// quality regressor), recnet (the reconstruction network), regnet (the Dice
// regressors), table1 (their errors on the test pool, with failure
// detection and conformal intervals calibrated on the calibration pool),
// table2 (the same under FGSM, PGD and adaptive attacks) and certify (the
// REG-Nets on x and end to end smoothed with Gaussian noise on x, their
// medians certified within an L2 radius).
//
// Each stage is a function (runZoo, runTable2, ...) of its own settings
// struct (zooSettings, ...) and of the typed results of the stages it reads
// (upstream: the prepared slices, the pools, REC-Net, the REG-Nets),
// stored in a folder keyed by a hash of those settings and of its upstream
// keys, so a re-run skips finished stages and a changed setting re-runs
// only what depends on it. stages.go defines each stage once, as a stageDef
// that binds its name (a results.StageName) to one settings function, which
// makes both its key and what its run receives. How a stage runs (its
// folder, threads, progress, which figures it draws) comes in its worker;
// harness/runner does the plumbing of locks, reuse and publishing, running
// each stage as a runner.Step on its folder in the store, a run.Stage.
//
// Files are named for the stage they serve (zoo.go, table2.go and
// table2_epsilon.go beside it, ...) or for what they hold (masks.go,
// maskfile.go, batches.go). The few exported functions that experiments/score
// scores a run with sit beside the stage helper each wraps, so that a run is
// scored with the networks and constants its stages built: OpenRegNet (the
// REG-Nets as the tables open them, d's scale with them) and RegNetFeeds
// (upstream.go, regnet.go), DataOptions
// (data.go), ResolvePrecisions and StreamSeed (stages.go), CertifiedInputs and
// SmoothedOutputs (certify.go), MaskFloats (masks.go), SegmentationColor
// (figures.go) and Renderers.Draw (pipeline.go).
package experiments
