package tables

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/segqa/segqa/harness/shared/results"
)

// ClaimsMarkdown writes the claims as a list, each marked with its verdict
// and, for a claim about attacks, the threat it tests, with its evidence;
// then the paired comparisons behind them (PairedClaims), if any.
func ClaimsMarkdown(w io.Writer, claims []results.Claim) error {
	for _, c := range claims {
		if _, err := fmt.Fprintf(w, "- **%s**%s: %s. %s.\n", c.Verdict(), threat(" (", c, ")"), c.Claim, c.Evidence); err != nil {
			return err
		}
	}
	if p := PairedClaims(claims); len(p.Rows) > 0 {
		if _, err := fmt.Fprintln(w); err != nil {
			return err
		}
		return p.Markdown(w)
	}
	return nil
}

// ClaimsTerminal writes the claims as plain lines wrapped to Width, then,
// after a blank line, the paired comparisons behind them (PairedClaims), if
// any.
func ClaimsTerminal(w io.Writer, claims []results.Claim) error {
	var b strings.Builder
	b.WriteString("The claims on this run:\n")
	for _, c := range claims {
		writeWrapped(&b, "["+c.Verdict()+threat(", ", c, "")+"] "+c.Claim, "  ", "    ")
		writeWrapped(&b, c.Evidence, "        ", "        ")
	}
	if p := PairedClaims(claims); len(p.Rows) > 0 {
		b.WriteString("\n")
		if err := p.Terminal(&b); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// threat labels a claim about attacks with the threat it tests, between
// before and after; nothing for the others.
func threat(before string, c results.Claim, after string) string {
	if c.Threat == "" {
		return ""
	}
	return before + c.Threat + after
}

// threatNames are the short row names of PairedClaims.
var threatNames = map[string]string{
	results.ThreatPaper:      "paper",
	results.ThreatRealisable: "realisable",
}

// PairedClaims tabulates the paired per-sample comparisons behind the
// claims that have one, a row per claim and ε: each pipeline's MAE, Δ =
// proposed − baseline with its interval, the test's p and Holm's. Rows are
// named short for the terminal; the title says what each name is.
func PairedClaims(claims []results.Claim) Generic {
	g := Generic{
		Header: []string{"threat", "ε", "n", "baseline", "proposed", "Δ", "95% interval", "p", "Holm p"},
	}
	var legend []string
	for _, c := range claims {
		p := c.Paired
		if p == nil {
			continue
		}
		name, ok := threatNames[c.Threat]
		if !ok {
			name = string(c.ID)
		}
		legend = append(legend, fmt.Sprintf("%s = %s (%s against %s)", name, c.Threat, p.Proposed, p.Baseline))
		for _, a := range p.At {
			g.Rows = append(g.Rows, []string{
				name, strconv.FormatFloat(a.Eps, 'g', -1, 64), strconv.Itoa(a.N),
				Fixed(float64(a.BaselineMAE), 3), Fixed(float64(a.ProposedMAE), 3), Signed(float64(a.Delta), 3),
				interval(float64(a.Lo), float64(a.Hi), 3), results.FormatP(float64(a.P)), results.FormatP(float64(a.Holm)),
			})
		}
	}
	if len(legend) > 0 {
		g.Title = "Paired per sample: Δ = proposed − baseline MAE, its 95% t interval, Wilcoxon p, Holm over ε;\n" +
			strings.Join(legend, ";\n")
	}
	return g
}

// interval formats "[lo, hi]" with signs.
func interval(lo, hi float64, decimals int) string {
	return "[" + Signed(lo, decimals) + ", " + Signed(hi, decimals) + "]"
}
