package tables

import "github.com/segqa/segqa/harness/shared/results"

// qcFigure is a quality-control figure as the terminal shows it, under its
// short name, with a note on what it holds: a column of Table 1's
// quality-control table (table1) and a table of Table 2's section under
// attack (table2). A band figure is measured on the samples whose true
// Dice is in eval.band (results.QC.Band); Table 1 gives those in Band. A
// figure added to results.QC is added here, and to qcHeader and
// qcCSVHeader for the files. The flip rate is not: the budget table has it
// (budgetTerminal).
type qcFigure struct {
	name, note     string
	cell           func(q *results.QC) string
	table1, table2 bool
	band           bool
}

// qcFigures are the quality-control figures the terminal shows, in order.
var qcFigures = []qcFigure{
	{"AUROC", "of detecting failures by a low predicted Dice",
		func(q *results.QC) string { return num(q.AUROC) }, true, true, false},
	{"AURC", "area under the risk-coverage curve, accepting the highest predicted Dice first, risk the mean 1 − true Dice accepted",
		func(q *results.QC) string { return num(q.AURC) }, true, false, false},
	{"best", "the same area for the best ordering, by true Dice",
		func(q *results.QC) string { return num(q.AURCOptimal) }, true, false, false},
	{"missed", "share of true failures passed",
		func(q *results.QC) string { return num(q.MissedFailures) }, true, true, false},
	{"coverage", "share of true Dice inside the conformal interval",
		func(q *results.QC) string { return num(q.Coverage) }, true, true, false},
	{"width", "the interval's mean width",
		func(q *results.QC) string { return num(q.IntervalWidth) }, true, false, false},
	{"AUROC", "of detecting failures by a low predicted Dice",
		bandFigure(func(b *results.BandQC) float64 { return b.AUROC }), false, true, true},
	{"AURC (best)", "area under the risk-coverage curve, and the best ordering's",
		func(q *results.QC) string {
			if q.Band == nil {
				return results.Dash
			}
			return aurcText(q.Band.AURC, q.Band.AURCOptimal)
		}, false, true, true},
	{"missed", "share of true failures passed",
		bandFigure(func(b *results.BandQC) float64 { return b.MissedFailures }), false, true, true},
}

// bandFigure is the cell of a figure of the band, a dash where it was not
// measured.
func bandFigure(of func(*results.BandQC) float64) func(*results.QC) string {
	return func(q *results.QC) string {
		if q.Band == nil {
			return results.Dash
		}
		return num(of(q.Band))
	}
}
