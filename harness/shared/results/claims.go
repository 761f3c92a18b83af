package results

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// ClaimID identifies a claim checked against a Table 2. It is what
// results/table2.json, the reports and the sweep find a claim by; the
// claim's text is for people. Its values are written to
// results/table2.json: never change one.
type ClaimID string

// The claims, the paper's four first.
const (
	ClaimTie      ClaimID = "clean_tie"           // without attack the two methods tie
	ClaimFGSM     ClaimID = "fgsm_d_below_fgsm_x" // the paper's central claim, on its protocol
	ClaimTransfer ClaimID = "transfer_milder"
	ClaimMonotone ClaimID = "mae_grows_with_eps"
	// ClaimWorstX is the central claim under the threat an attacker can
	// realise: an image x' near x fed end to end through each pipeline.
	ClaimWorstX ClaimID = "worst_x_end_to_end"
)

// ClaimIDs lists the claims in the order a Table 2's Claims holds them.
var ClaimIDs = []ClaimID{ClaimTie, ClaimFGSM, ClaimTransfer, ClaimMonotone, ClaimWorstX}

// claimTexts are the claims as people read them.
var claimTexts = map[ClaimID]string{
	ClaimTie:      "Without attack the two methods tie",
	ClaimFGSM:     "Under FGSM the proposed pipeline's MAE is below the baseline's at every ε (FGSM on d against FGSM on x)",
	ClaimTransfer: "The transferred attack is milder than the direct ones at every ε",
	ClaimMonotone: "MAE never falls as ε grows (ε = 0 is no attack)",
	// Worst case: per sample, over every attack the run makes on x.
	ClaimWorstX: "Under the attacks on x, end to end, the proposed pipeline's worst-case MAE is below the baseline's at every ε",
}

// Text is the claim as people read it; an ID segqa does not check is its
// own text.
func (id ClaimID) Text() string {
	if s, ok := claimTexts[id]; ok {
		return s
	}
	return string(id)
}

// The threats the claims about attacks test, as the reports label them.
const (
	// ThreatPaper is the paper's protocol: FGSM on d, an internal image no
	// attacker touches, against FGSM on x.
	ThreatPaper = "the paper's protocol"
	// ThreatRealisable is any image x' with ‖x' − x‖∞ ≤ ε fed end to end
	// through each pipeline.
	ThreatRealisable = "the threat an attacker can realise"
)

// Threat is the threat the claim tests, ThreatPaper or ThreatRealisable;
// empty for the claims that compare no attacks on the two pipelines.
func (id ClaimID) Threat() string {
	switch id {
	case ClaimFGSM, ClaimTransfer:
		return ThreatPaper
	case ClaimWorstX:
		return ThreatRealisable
	}
	return ""
}

// ClaimLevel is the significance level of every test behind a claim.
const ClaimLevel = 0.05

// Outcomes of a claim that "holds" says too little about.
const (
	// The tie's: both one-sided tests of equivalence reject; neither they
	// nor the ordinary paired test do; the ordinary paired test rejects.
	TieShown    = "tie"
	TieNotShown = "not shown to tie"
	TieDiffer   = "differ"
	// NotRecorded: the run stored nothing the claim could be checked on.
	NotRecorded = "not recorded"
)

// Claim is one claim checked against a Table 2.
type Claim struct {
	// ID is what the claim is found by (absent in runs before claims had
	// IDs: reading assigns it); Claim is its text.
	ID    ClaimID `json:"id"`
	Claim string  `json:"claim"`
	// Threat labels a claim about attacks: ThreatPaper or ThreatRealisable.
	Threat string `json:"threat,omitempty"`
	Holds  bool   `json:"holds"`
	// Unchecked is set when the table lacks what the claim needs.
	Unchecked bool `json:"unchecked,omitempty"`
	// Outcome is the verdict in the claim's own words where it has them
	// (TieShown, TieNotShown, TieDiffer, NotRecorded).
	Outcome  string `json:"outcome,omitempty"`
	Evidence string `json:"evidence"`
	// Paired is the per-sample paired comparison of two rows behind a
	// claim about attacks, when the run stored the rows' predictions.
	Paired *Paired `json:"paired,omitempty"`
	// Equivalence is the tie's test, when the run stored the per-sample
	// predictions without attack.
	Equivalence *Equivalence `json:"equivalence,omitempty"`
}

// Claims is the claims checked against one run.
type Claims []Claim

// JSON writes the claims as a JSON list.
func (c Claims) JSON(w io.Writer) error { return writeJSON(w, []Claim(c)) }

// Find returns the claim with ID id.
func (c Claims) Find(id ClaimID) (Claim, bool) {
	for _, cl := range c {
		if cl.ID == id {
			return cl, true
		}
	}
	return Claim{}, false
}

// Verdict is the claim's Outcome when it has one, else "holds", "does not
// hold" or "not checked".
func (c Claim) Verdict() string {
	switch {
	case c.Outcome != "":
		return c.Outcome
	case c.Unchecked:
		return "not checked"
	case c.Holds:
		return "holds"
	}
	return "does not hold"
}

// checkClaims checks every claim of ClaimIDs against t.
func (t Table2) checkClaims() []Claim {
	out := make([]Claim, len(ClaimIDs))
	for i, id := range ClaimIDs {
		out[i] = t.checkClaim(id)
	}
	return out
}

// checkClaim checks one claim against t: the tie without attack (from
// t.Samples or, in runs before segqa stored them, t.Tie), FGSM on d against
// FGSM on x, the transfer attack against both, MAE growing with ε in each
// of the paper's three rows (from the row's clean MAE), and the worst cases
// on x (from t.Samples).
func (t Table2) checkClaim(id ClaimID) Claim {
	var c Claim
	x, d, tr := t.Row(RowBaselineFGSMx), t.Row(RowProposedFGSMd), t.Row(RowProposedTransfer)
	switch id {
	case ClaimTie:
		c = t.tieClaim()
	case ClaimFGSM:
		c = below(d, x, "FGSM on d", "FGSM on x")
		c.Paired = t.pairedOf(RowBaselineFGSMx, RowProposedFGSMd)
	case ClaimTransfer:
		c = transferClaim(tr, x, d)
	case ClaimMonotone:
		c = monotoneClaim(x, d, tr)
	case ClaimWorstX:
		c = t.worstXClaim()
	default:
		c = Claim{Unchecked: true, Evidence: "segqa checks no such claim"}
	}
	c.ID, c.Claim, c.Threat = id, id.Text(), id.Threat()
	return c
}

// below holds when row a's MAE is below row b's at every ε.
func below(a, b *Table2Row, an, bn string) Claim {
	var c Claim
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
	var c Claim
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
	c := Claim{Holds: true}
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

// legacyClaimIDs are the IDs of the claims results/table2.json recorded
// before claims carried one, by their text as written, for the claims
// whose check has not changed since. The tie, once read from a Wilcoxon p
// above the level, is checked again on reading (see tieClaim).
var legacyClaimIDs = map[string]ClaimID{
	"Under FGSM the proposed pipeline's MAE is below the baseline's at every ε (FGSM on d against FGSM on x)": ClaimFGSM,
	"The transferred attack is milder than the direct ones at every ε":                                        ClaimTransfer,
	"MAE never falls as ε grows (ε = 0 is no attack)":                                                         ClaimMonotone,
}

// withRecordedClaims returns t with the claims as recorded: each claim of
// ClaimIDs that recorded holds (by ID, or for files before claims had IDs
// by its text in legacyClaimIDs) as recorded, the others checked against
// t now; nil recorded checks them all.
func (t Table2) withRecordedClaims(recorded []Claim) Table2 {
	if recorded == nil {
		return t.WithClaims()
	}
	byID := map[ClaimID]Claim{}
	for _, c := range recorded {
		if c.ID == "" {
			c.ID = legacyClaimIDs[c.Claim]
			c.Threat = c.ID.Threat()
		}
		if c.ID != "" {
			byID[c.ID] = c
		}
	}
	t.claims = make([]Claim, len(ClaimIDs))
	for i, id := range ClaimIDs {
		c, ok := byID[id]
		if !ok {
			c = t.checkClaim(id)
		}
		t.claims[i] = c
	}
	return t
}
