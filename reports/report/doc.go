// Package report turns a finished run directory, or a sweep directory of
// many runs, into a report a reader can open: report.md and a
// self-contained report.html.
//
// Build reads the directory into a Report: a title and a list of sections,
// each a sequence of paragraphs, tables, figures and code blocks. Nothing in
// a Report depends on the clock, so the same directory always gives the same
// report. Markdown and HTML render the same Report to an io.Writer; Write is
// the thin wrapper that writes both files atomically beside the results.
//
// A run report holds, in order: a summary with the headline MAEs against the
// paper's 0.04; Table 1 beside the paper's figures; a paired comparison of
// the methods on the same test samples (a paired bootstrap confidence
// interval of the MAE difference and the Wilcoxon signed-rank test, from
// results/predictions.json); Table 2, the paper's rows and then the
// attacks the paper did not run; every stage's figures with captions; the
// data set, the segmentation pools, the U-Net zoo and REC-Net training;
// per-stage timings; the environment; and the resolved config.
//
// A sweep report (a directory holding sweep.json) groups the cells by grid
// setting and aggregates over seeds: each row's MAE as mean ± sample std
// across seeds, for Table 1, Table 2 and an ablation table whose rows are
// the grid settings. It links every cell's own run report, which Write
// generates too, and sums the stage timings.
//
// A results file that is missing means its stage did not run: the report
// says so in a sentence. A file that is present but does not decode is an
// error naming the file. In HTML, figures are embedded as base64 PNG data
// URIs and the style sheet is inline, so the file needs nothing else; the
// markup is also well-formed XML. Links to a cell's report.md become links
// to its report.html.
package report
