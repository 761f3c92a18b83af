package results

import (
	"math"
	"slices"
)

// PaperTestN is the size of the paper's Dice-balanced test pool.
const PaperTestN = 1000

// PaperEps are the attack levels of the paper's Table 2.
var paperEps = []float64{0.05, 0.1, 0.2, 0.3}

// PaperTable1 returns the paper's Table 1 as reported: MAE and Std hold the
// published figures; Pearson and Accuracy07 are NaN (not reported).
func PaperTable1() Table1 {
	row := func(in Input) Table1Row {
		return Table1Row{
			ID: in.Table1ID(), Method: in.Method(), Input: in.Channels(), MAE: 0.04, Std: 0.05, N: PaperTestN,
			Pearson: math.NaN(), Accuracy07: math.NaN(),
		}
	}
	return Table1{Rows: []Table1Row{row(InputXS), row(InputDS)}}
}

// PaperTable2 returns the paper's Table 2 as reported, at eps 0.05, 0.1,
// 0.2 and 0.3: MAE and Std hold the published figures, and its claims are
// checked against them.
func PaperTable2() Table2 {
	row := func(id RowID, mae, std []float64) Table2Row {
		r := id.Row()
		r.Eps, r.MAE, r.Std, r.N = slices.Clone(paperEps), mae, std, PaperTestN
		r.CleanMAE, r.CleanStd = 0.04, 0.05 // Table 1: both methods
		return r
	}
	return Table2{Rows: []Table2Row{
		row(RowBaselineFGSMx, []float64{0.08, 0.11, 0.14, 0.16}, []float64{0.06, 0.07, 0.08, 0.09}),
		row(RowProposedFGSMd, []float64{0.07, 0.09, 0.09, 0.12}, []float64{0.06, 0.06, 0.07, 0.09}),
		row(RowProposedTransfer, []float64{0.04, 0.04, 0.07, 0.14}, []float64{0.05, 0.05, 0.06, 0.10}),
	}}.WithClaims()
}

// WithPaper returns a copy of t whose rows carry the MAE and Std of the row
// of ref with the same ID as their PaperMAE and PaperStd. Rows without a
// match keep what they had.
func (t Table1) WithPaper(ref Table1) Table1 {
	out := Table1{Rows: slices.Clone(t.Rows)}
	for i, r := range out.Rows {
		if p := ref.Row(r.ID); p != nil {
			out.Rows[i].PaperMAE, out.Rows[i].PaperStd = p.MAE, p.Std
		}
	}
	return out
}

// WithPaper returns a copy of t whose rows carry, at each of their epsilons,
// the MAE and Std of the row of ref with the same ID at the same epsilon
// (NaN where ref has no such level). Rows without a matching ref row keep
// what they had.
func (t Table2) WithPaper(ref Table2) Table2 {
	out := t
	out.Rows = slices.Clone(t.Rows)
	for i, r := range out.Rows {
		p := ref.Row(r.ID)
		if p == nil {
			continue
		}
		mae, std := make([]float64, len(r.Eps)), make([]float64, len(r.Eps))
		for k, e := range r.Eps {
			mae[k], std[k] = math.NaN(), math.NaN()
			if at := p.EpsIndex(e); at >= 0 && at < len(p.MAE) && at < len(p.Std) {
				mae[k], std[k] = p.MAE[at], p.Std[at]
			}
		}
		out.Rows[i].PaperMAE, out.Rows[i].PaperStd = mae, std
	}
	return out
}

// PaperRows splits t's rows, in order, into the paper's (the rows of
// PaperTable2, by ID) and the rows segqa adds.
func (t Table2) PaperRows() (paper, extended []Table2Row) {
	ref := PaperTable2()
	for _, r := range t.Rows {
		if ref.Row(r.ID) != nil {
			paper = append(paper, r)
		} else {
			extended = append(extended, r)
		}
	}
	return paper, extended
}
