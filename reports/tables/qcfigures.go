package tables

import "github.com/segqa/segqa/harness/results"

// qcFigure is a quality-control figure as the terminal shows it, under its
// short name, with a note on what it holds: a column of Table 1's
// quality-control table (table1: the figures measured without attack) and
// a table of Table 2's section under attack (table2). A figure added to
// results.QC is added here, and to qcHeader and qcCSVHeader for the files.
// The flip rate is not: the budget table has it (budgetTerminal).
type qcFigure struct {
	name, note     string
	cell           func(q *results.QC) string
	table1, table2 bool
}

// qcFigures are the quality-control figures the terminal shows, in order.
var qcFigures = []qcFigure{
	{"AUROC", "of detecting failures by a low predicted Dice",
		func(q *results.QC) string { return num(q.AUROC) }, true, true},
	{"AURC", "area under the risk-coverage curve, accepting the highest predicted Dice first, risk the mean 1 − true Dice accepted",
		func(q *results.QC) string { return num(q.AURC) }, true, false},
	{"best", "the same area for the best ordering, by true Dice",
		func(q *results.QC) string { return num(q.AURCOptimal) }, true, false},
	{"missed", "share of true failures passed",
		func(q *results.QC) string { return num(q.MissedFailures) }, true, true},
	{"coverage", "share of true Dice inside the conformal interval",
		func(q *results.QC) string { return num(q.Coverage) }, true, true},
	{"width", "the interval's mean width",
		func(q *results.QC) string { return num(q.IntervalWidth) }, true, false},
}
