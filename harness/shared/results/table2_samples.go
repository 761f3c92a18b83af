package results

import "fmt"

// Samples are the per-sample predictions a Table 2 keeps so that its
// claims compare the two pipelines sample by sample: the true Dice of each
// attacked test sample, each network's prediction without attack, and the
// predictions of the SampledRows at each of the row's ε. Runs before
// segqa stored them have none; their tie keeps its recorded Wilcoxon p and
// the claim on the worst cases on x is not recorded.
type Samples struct {
	TrueDice []float64             `json:"true_dice"`
	Clean    map[Input][]float64   `json:"clean"`
	Rows     map[RowID][][]float64 `json:"rows"` // [ε of the row][sample]
}

// SampledRows are the rows whose per-sample predictions a Table 2 keeps:
// the paper's protocol (FGSM on x against FGSM on d) and the threat an
// attacker can realise (each pipeline's worst case over the attacks on x).
var SampledRows = []RowID{RowBaselineFGSMx, RowProposedFGSMd, RowBaselineWorstx, RowProposedWorstx}

// check reports predictions whose lengths do not match the true Dice, and
// rows t lacks or whose ε they do not match.
func (s Samples) check(t Table2) error {
	n := len(s.TrueDice)
	for in, p := range s.Clean {
		if len(p) != n {
			return fmt.Errorf("%w: samples: %d predictions of %s without attack for %d true Dice", ErrShape, len(p), in, n)
		}
	}
	for id, perEps := range s.Rows {
		r := t.Row(id)
		if r == nil || len(perEps) != len(r.Eps) {
			return fmt.Errorf("%w: samples: row %s has predictions at %d ε, the table's row at %d", ErrShape, id, len(perEps), epsCount(r))
		}
		for _, p := range perEps {
			if len(p) != n {
				return fmt.Errorf("%w: samples: %d predictions of row %s for %d true Dice", ErrShape, len(p), id, n)
			}
		}
	}
	return nil
}

func epsCount(r *Table2Row) int {
	if r == nil {
		return 0
	}
	return len(r.Eps)
}
