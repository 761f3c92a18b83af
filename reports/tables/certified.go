package tables

import (
	"fmt"
	"io"
	"strconv"

	"github.com/segqa/segqa/harness/shared/results"
)

// Certified renders results/certified.json: one row per method, σ and
// radius, with the smoothed clean MAE, the mean certified error bound, the
// share of certified pass/fail decisions and of those that are right, the
// mean interval width and the abstain rate.
type Certified results.Certified

// title says what the table holds and at what confidence.
func (t Certified) title() string {
	return fmt.Sprintf("Certified Dice (median smoothing, %d noise draws, each interval holds with probability ≥ %g; decisions at Dice %g)",
		t.Samples, 1-t.Alpha, t.FailBelow)
}

var certifiedHeader = []string{"method", "σ", "radius", "smoothed MAE", "certified error bound", "certified decisions", "of them correct", "interval width", "abstain"}

func (t Certified) cells(format func(float64) string) [][]string {
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	var rows [][]string
	for _, r := range t.Rows {
		rows = append(rows, []string{r.Method, g(r.Sigma), g(r.Radius),
			format(float64(r.SmoothedMAE)), format(float64(r.ErrorBound)), format(float64(r.Decisions)), format(float64(r.CorrectDecisions)),
			format(float64(r.Width)), format(float64(r.Abstain))})
	}
	return rows
}

// Terminal prints the title above a compact table, figures to two
// decimals, under short headers that the note explains.
func (t Certified) Terminal(w io.Writer) error {
	return plain{
		title:  t.title(),
		header: []string{"method", "σ", "radius", "MAE", "bound", "decided", "correct", "width", "abstain"},
		rows:   t.cells(num),
		notes: []string{"MAE: of the smoothed prediction; bound: mean certified error bound; " +
			"decided: share of samples whose pass/fail decision is certified; correct: share certified and right; " +
			"width: mean interval width; abstain: share of samples without an interval."},
	}.write(w)
}

// Markdown writes the title in bold above a pipe table.
func (t Certified) Markdown(w io.Writer) error {
	return markdown(w, t.title(), certifiedHeader, t.cells(num))
}

// CSV writes every row at full precision, with the input's ID.
func (t Certified) CSV(w io.Writer) error {
	rows := t.cells(full)
	for i, r := range t.Rows {
		rows[i] = append([]string{string(r.Input)}, rows[i]...)
	}
	return writeCSV(w, append([]string{"input"}, certifiedHeader...), rows)
}

// JSON writes t as results/certified.json (see results.Certified.JSON).
func (t Certified) JSON(w io.Writer) error { return results.Certified(t).JSON(w) }
