// Package experiments defines what segqa measures, as stages of one
// pipeline: data (prepared slices and the patient split), zoo (U-Nets of
// every quality and their segmentations), pool (Dice-uniform samples),
// agreement (the reference U-Nets of the agreement baseline, which needs no
// quality regressor), recnet (the reconstruction network), regnet (the Dice
// regressors), table1 (their errors on the test pool, with failure
// detection and split-conformal intervals) and table2 (the same under FGSM,
// PGD and adaptive attacks).
//
// Each stage is a function of its typed config section and of the outputs
// of the stages before it, stored in a folder keyed by a hash of both, so a
// re-run skips finished stages and a changed setting re-runs only what
// depends on it.
package experiments
