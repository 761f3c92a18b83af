// Package stats holds the statistics the experiments compute and the reports
// print: the mean absolute error of predicted Dice with its spread, Pearson
// correlation, the accuracy of a thresholded decision, paired comparisons
// (of per-sample errors, a bootstrap confidence interval of the mean
// difference and the Wilcoxon signed-rank test; of a figure over a handful
// of seeds, the paired t-test and its t interval; of either, Schuirmann's
// two one-sided tests of equivalence within a margin); a bootstrap interval
// that resamples patients, for a share measured on slices that come in
// patients; failure detection from a predicted Dice (AUROC with midranks,
// average precision, the risk-coverage curve and its area, the flip rate
// and missed failures of a pass/fail decision); conformal intervals, split
// (samples as the unit) and hierarchical (patients as the unit); and the
// order-statistic bounds of median smoothing (Chiang et al. 2020), which
// certify a smoothed regression within an L2 radius.
//
// Conventions: MAE's std is the population standard deviation (numpy's
// default, ddof=0), the figure the paper most likely printed beside its MAE;
// MeanStd, meant for a handful of seeds, uses the sample standard deviation
// (n-1). Functions taking two slices panic if their lengths differ: that is
// a programmer error. Empty input gives NaN. Randomness comes only from the
// *rand.Rand passed in.
package stats
