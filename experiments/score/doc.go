// Package score assesses one segmentation of one image with the REG-Nets of
// a finished run, without ground truth (segqa score): each slice's
// predicted Dice from every REG-Net, with the run's conformal interval
// when it calibrated one (and how often such intervals held on the run's
// test pool), the difference image d as an error map, and, with
// Options.Certify, each slice's certified interval by median smoothing. Run writes score.json, the error map and the preprocessed
// image as NIfTI, and score.png; Result.Table is the per-slice table.
//
// It builds the networks and reads the constants of the run through the
// few functions experiments exports for it (OpenRegNet, RegNetFeeds, ...;
// see experiments' doc), so that a run is scored with exactly the networks
// its stages trained.
package score
