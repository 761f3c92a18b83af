package results

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// Tie is the paired comparison of the two methods without attack: their
// MAE on the same test samples and the p-value of a Wilcoxon signed-rank
// test of the absolute errors.
type Tie struct {
	N           int     `json:"n"`
	BaselineMAE float64 `json:"baseline_mae"`
	ProposedMAE float64 `json:"proposed_mae"`
	P           float64 `json:"wilcoxon_p"`
}

// TieLevel is the significance level below which the two methods do not
// tie.
const TieLevel = 0.05

// Claim is one of the paper's claims checked against a Table 2.
type Claim struct {
	Claim string `json:"claim"`
	Holds bool   `json:"holds"`
	// Unchecked is set when the table lacks what the claim needs.
	Unchecked bool   `json:"unchecked,omitempty"`
	Evidence  string `json:"evidence"`
}

// Claims is the paper's claims checked against one run.
type Claims []Claim

// JSON writes the claims as a JSON list.
func (c Claims) JSON(w io.Writer) error { return writeJSON(w, []Claim(c)) }

// Verdict is "holds", "does not hold" or "not checked".
func (c Claim) Verdict() string {
	switch {
	case c.Unchecked:
		return "not checked"
	case c.Holds:
		return "holds"
	}
	return "does not hold"
}

// The paper's claims, in the order Claims checks them.
const (
	ClaimTie      = "Without attack the two methods tie"
	ClaimFGSM     = "Under FGSM the proposed pipeline's MAE is below the baseline's at every ε (FGSM on d against FGSM on x)"
	ClaimTransfer = "The transferred attack is milder than the direct ones at every ε"
	ClaimMonotone = "MAE never falls as ε grows (ε = 0 is no attack)"
)

// checkClaims checks the paper's four claims against t: the tie without
// attack (from t.Tie), FGSM on d against FGSM on x, the transfer attack
// against both, and MAE growing with ε in each of the paper's three rows
// (from the row's clean MAE).
func (t Table2) checkClaims() []Claim {
	out := []Claim{t.tieClaim()}
	x, d, tr := t.Row(RowBaselineFGSMx), t.Row(RowProposedFGSMd), t.Row(RowProposedTransfer)
	out = append(out, below(ClaimFGSM, d, x, "FGSM on d", "FGSM on x"))
	out = append(out, transferClaim(tr, x, d))
	out = append(out, monotoneClaim(x, d, tr))
	return out
}

func (t Table2) tieClaim() Claim {
	c := Claim{Claim: ClaimTie}
	if t.Tie == nil {
		c.Unchecked, c.Evidence = true, "no paired test recorded"
		return c
	}
	c.Holds = t.Tie.P >= TieLevel
	verdict := "no significant difference"
	if !c.Holds {
		verdict = "a significant difference"
	}
	c.Evidence = fmt.Sprintf("MAE %.3f (x, s) and %.3f (d, s) on n = %d; paired Wilcoxon p = %s: %s at the %g level",
		t.Tie.BaselineMAE, t.Tie.ProposedMAE, t.Tie.N, FormatP(t.Tie.P), verdict, TieLevel)
	return c
}

// below holds when row a's MAE is below row b's at every ε.
func below(claim string, a, b *Table2Row, an, bn string) Claim {
	c := Claim{Claim: claim}
	if a == nil || b == nil {
		c.Unchecked, c.Evidence = true, "the table lacks one of the rows "+an+" and "+bn
		return c
	}
	c.Holds = true
	var parts []string
	for i, e := range a.Eps {
		j := b.EpsIndex(e)
		if j < 0 {
			continue
		}
		ok := a.MAE[i] < b.MAE[j]
		c.Holds = c.Holds && ok
		parts = append(parts, fmt.Sprintf("ε=%g: %.3f %s %.3f", e, a.MAE[i], rel(ok), b.MAE[j]))
	}
	c.Evidence = an + " against " + bn + ": " + strings.Join(parts, "; ")
	return c
}

func rel(less bool) string {
	if less {
		return "<"
	}
	return "≥"
}

func transferClaim(tr, x, d *Table2Row) Claim {
	c := Claim{Claim: ClaimTransfer}
	if tr == nil || x == nil || d == nil {
		c.Unchecked, c.Evidence = true, "the table lacks the transfer row or a direct one"
		return c
	}
	c.Holds = true
	var parts []string
	for i, e := range tr.Eps {
		jx, jd := x.EpsIndex(e), d.EpsIndex(e)
		if jx < 0 || jd < 0 {
			continue
		}
		direct := math.Min(x.MAE[jx], d.MAE[jd])
		ok := tr.MAE[i] < direct
		c.Holds = c.Holds && ok
		parts = append(parts, fmt.Sprintf("ε=%g: %.3f %s %.3f", e, tr.MAE[i], rel(ok), direct))
	}
	c.Evidence = "transfer against the milder direct attack: " + strings.Join(parts, "; ")
	return c
}

func monotoneClaim(rows ...*Table2Row) Claim {
	c := Claim{Claim: ClaimMonotone, Holds: true}
	var falls []string
	n := 0
	for _, r := range rows {
		if r == nil {
			continue
		}
		n++
		prev, prevEps := r.CleanMAE, 0.0
		for i, e := range r.Eps {
			if !math.IsNaN(prev) && r.MAE[i] < prev {
				falls = append(falls, fmt.Sprintf("%s from %.3f at ε=%g to %.3f at ε=%g", r.Attack, prev, prevEps, r.MAE[i], e))
			}
			prev, prevEps = r.MAE[i], e
		}
	}
	switch {
	case n == 0:
		c.Holds, c.Unchecked, c.Evidence = false, true, "the table has none of the paper's rows"
	case len(falls) == 0:
		c.Evidence = fmt.Sprintf("MAE grows with ε in each of the %d rows of the paper", n)
	default:
		c.Holds, c.Evidence = false, "MAE falls: "+strings.Join(falls, "; ")
	}
	return c
}
