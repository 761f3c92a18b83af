package results

import (
	"math"
	"slices"
)

// The rows of Table 2: what each attacked network sees, and the attacks.
// Rows that use the paper's names pick up its figures through WithPaper.
const (
	AttackedXS    = "x_adv, s"         // the baseline on the attacked image
	AttackedDS    = "d_adv, s"         // the proposed on an attacked difference image
	TransferredDS = "d' from x_adv, s" // the proposed on the attacked image's difference image

	AttackX           = "FGSM on x"
	AttackD           = "FGSM on d"
	AttackTransfer    = "FGSM on x, transferred"
	AttackPGDX        = "PGD on x"
	AttackAdaptive    = "FGSM on x through REC-Net (adaptive)"
	AttackAdaptivePGD = "PGD on x through REC-Net (adaptive)"
	// The agreement baseline's attacks: on x, through the reference
	// U-Nets' gradients. Their names differ from the REG-Nets' rows, which
	// Row looks up by attack.
	AttackAgreementFGSM = "FGSM on x through the reference U-Nets"
	AttackAgreementPGD  = "PGD on x through the reference U-Nets"

	// The checks against gradient masking: APGD (Croce and Hein 2020), the
	// gradient-free Square attack, and each network's worst case, per
	// sample, over every attack run on it.
	AttackAPGDX          = "APGD on x"
	AttackAdaptiveAPGD   = "APGD on x through REC-Net (adaptive)"
	AttackSquareX        = "Square on x (gradient-free)"
	AttackAdaptiveSquare = "Square on x through REC-Net (gradient-free)"
	// SignHunter's sign-flip search (Al-Dujaili and O'Reilly 2020): the
	// gradient-free attack with power.
	AttackHuntX        = "SignHunter on x (gradient-free)"
	AttackAdaptiveHunt = "SignHunter on x through REC-Net (gradient-free)"
	// The threshold attacks: APGD that pushes each sample's predicted Dice
	// across eval.fail_below, up for a failed segmentation and down for a
	// good one, the error quality control fears most.
	AttackThresholdX        = "APGD across the pass threshold on x"
	AttackAdaptiveThreshold = "APGD across the pass threshold on x through REC-Net (adaptive)"
	AttackWorstBaseline     = "worst case of the attacks on x (ensemble)"
	AttackWorstProposed     = "worst case of the attacks on x and d (ensemble)"
	AttackWorstAdaptive     = "worst case of the attacks on x through REC-Net (ensemble)"
	AttackedAnyDS           = "d_adv or d' from x_adv, s" // the proposed network's ensemble row over x and d
)

// WorstOnX are the worst-case rows of the threat both networks share, an
// attacker who changes the image x (through REC-Net for the proposed
// pipeline): each network's Table 2 row, the proposed pipeline first.
var WorstOnX = []struct {
	Input  Input  // the network: InputDS or InputXS
	Attack string // its row
}{{InputDS, AttackWorstAdaptive}, {InputXS, AttackWorstBaseline}}

// PaperTestN is the size of the paper's Dice-balanced test pool.
const PaperTestN = 1000

// PaperEps are the attack levels of the paper's Table 2.
var paperEps = []float64{0.05, 0.1, 0.2, 0.3}

// PaperTable1 returns the paper's Table 1 as reported: MAE and Std hold the
// published figures; Pearson and Accuracy07 are NaN (not reported).
func PaperTable1() Table1 {
	row := func(method, input string) Table1Row {
		return Table1Row{
			Method: method, Input: input, MAE: 0.04, Std: 0.05, N: PaperTestN,
			Pearson: math.NaN(), Accuracy07: math.NaN(),
		}
	}
	return Table1{Rows: []Table1Row{
		row(MethodBaseline, InputXS.Channels()),
		row(MethodProposed, InputDS.Channels()),
	}}
}

// PaperTable2 returns the paper's Table 2 as reported, at eps 0.05, 0.1,
// 0.2 and 0.3: MAE and Std hold the published figures.
func PaperTable2() Table2 {
	row := func(method, input, attack string, mae, std []float64) Table2Row {
		return Table2Row{
			Method: method, Input: input, Attack: attack, Eps: slices.Clone(paperEps),
			MAE: mae, Std: std, N: PaperTestN,
			CleanMAE: 0.04, CleanStd: 0.05, // Table 1: both methods
		}
	}
	return Table2{Rows: []Table2Row{
		row(MethodBaseline, AttackedXS, AttackX,
			[]float64{0.08, 0.11, 0.14, 0.16}, []float64{0.06, 0.07, 0.08, 0.09}),
		row(MethodProposed, AttackedDS, AttackD,
			[]float64{0.07, 0.09, 0.09, 0.12}, []float64{0.06, 0.06, 0.07, 0.09}),
		row(MethodProposed, TransferredDS, AttackTransfer,
			[]float64{0.04, 0.04, 0.07, 0.14}, []float64{0.05, 0.05, 0.06, 0.10}),
	}}
}

// WithPaper returns a copy of t whose rows carry the MAE and Std of the row
// of ref with the same Method and Input as their PaperMAE and PaperStd.
// Rows without a match keep what they had.
func (t Table1) WithPaper(ref Table1) Table1 {
	out := Table1{Rows: slices.Clone(t.Rows)}
	for i, r := range out.Rows {
		for _, p := range ref.Rows {
			if p.Method == r.Method && p.Input == r.Input {
				out.Rows[i].PaperMAE, out.Rows[i].PaperStd = p.MAE, p.Std
				break
			}
		}
	}
	return out
}

// WithPaper returns a copy of t whose rows carry, at each of their epsilons,
// the MAE and Std of the row of ref with the same Method, Input and Attack
// at the same epsilon (NaN where ref has no such level). Rows without a
// matching ref row keep what they had.
func (t Table2) WithPaper(ref Table2) Table2 {
	out := t
	out.Rows = slices.Clone(t.Rows)
	for i, r := range out.Rows {
		j := slices.IndexFunc(ref.Rows, func(p Table2Row) bool {
			return p.Method == r.Method && p.Input == r.Input && p.Attack == r.Attack
		})
		if j < 0 {
			continue
		}
		p := ref.Rows[j]
		mae, std := make([]float64, len(r.Eps)), make([]float64, len(r.Eps))
		for k, e := range r.Eps {
			mae[k], std[k] = math.NaN(), math.NaN()
			at := slices.IndexFunc(p.Eps, func(x float64) bool { return RoundEps(x) == RoundEps(e) })
			if at >= 0 && at < len(p.MAE) && at < len(p.Std) {
				mae[k], std[k] = p.MAE[at], p.Std[at]
			}
		}
		out.Rows[i].PaperMAE, out.Rows[i].PaperStd = mae, std
	}
	return out
}
