// Package experiments defines what segqa measures, as stages of one
// pipeline: data (prepared slices and the patient split), zoo (U-Nets of
// every quality and their segmentations), pool (Dice-uniform samples),
// agreement (the reference U-Nets of the agreement baseline, which needs no
// quality regressor), recnet (the reconstruction network), regnet (the Dice
// regressors), table1 (their errors on the test pool, with failure
// detection and conformal intervals calibrated on the calibration pool)
// and table2 (the same under FGSM, PGD and adaptive attacks).
//
// Each stage is a function (runZoo, runTable2, ...) of its own settings
// struct (zooSettings, ...) and of the typed results of the stages it reads
// (upstream: the prepared slices, the pools, REC-Net, the REG-Nets),
// stored in a folder keyed by a hash of those settings and of its upstream
// keys, so a re-run skips finished stages and a changed setting re-runs
// only what depends on it. stages.go binds each stage name to one settings
// function, which makes both its key and what its run receives. How a stage
// runs (its folder, threads, progress, which figures it draws) comes in its
// worker; harness/runner does the plumbing of locks, reuse and publishing.
package experiments
