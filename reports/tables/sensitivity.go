package tables

import (
	"strconv"

	"github.com/segqa/segqa/harness/shared/results"
)

// Sensitivity is Table 1's input-sensitivity check: for each REG-Net, its
// MAE and the mean |Δ prediction| when its image input is replaced by
// zeros and by another test sample's, and the verdict; the network on s
// alone, which has no image input, says so. Rows without a measurement
// (the agreement baseline, runs before segqa made it) are left out.
func Sensitivity(t results.Table1) Generic {
	g := Generic{
		Title: "Table 1, input sensitivity: MAE and mean |Δ prediction| with the image input replaced by zeros, " +
			"and by another test sample's; " + VerdictFlagged + ": " + VerdictIgnoresImage + ", both |Δ| below " + sensitivityMin(t),
		Header: []string{"network", "image", "MAE", "zeroed: MAE, |Δ|", "shuffled: MAE, |Δ|", "verdict"},
	}
	pair := func(r results.Replaced) string { return Fixed(r.MAE, 3) + ", " + Fixed(r.MeanAbsDelta, 3) }
	for _, r := range t.Rows {
		name := r.Method + " (" + r.Input + ")"
		s := r.Sensitivity
		switch {
		case s != nil:
			g.Rows = append(g.Rows, []string{name, s.Image, Fixed(r.MAE, 3), pair(s.Zeroed), pair(s.Shuffled), SensitivityVerdict(s)})
		case r.ID == results.InputS.Table1ID():
			g.Rows = append(g.Rows, []string{name, results.Dash, Fixed(r.MAE, 3), results.Dash, results.Dash, VerdictNoImage})
		}
	}
	return g
}

// The verdicts of the input-sensitivity check, short for the terminal:
// VerdictFlagged is a network that does not use its image
// (VerdictIgnoresImage).
const (
	VerdictFlagged      = "flagged"
	VerdictUsesImage    = "uses it"
	VerdictNoImage      = "no image"
	VerdictIgnoresImage = "does not use its image"
)

// SensitivityVerdict is a measured network's verdict: VerdictFlagged or
// VerdictUsesImage.
func SensitivityVerdict(s *results.Sensitivity) string {
	if s.IgnoresImage {
		return VerdictFlagged
	}
	return VerdictUsesImage
}

// sensitivityMin is eval.sensitivity_min as the rows recorded it.
func sensitivityMin(t results.Table1) string {
	for _, r := range t.Rows {
		if r.Sensitivity != nil {
			return strconv.FormatFloat(r.Sensitivity.Min, 'g', -1, 64)
		}
	}
	return "eval.sensitivity_min"
}

// sensitivityCSVHeader is the input-sensitivity columns of Table 1's CSV,
// empty where not measured.
var sensitivityCSVHeader = []string{"image", "zeroed_mae", "zeroed_mean_abs_delta", "shuffled_mae", "shuffled_mean_abs_delta", "sensitivity_min", "ignores_image"}

func sensitivityCSV(s *results.Sensitivity) []string {
	if s == nil {
		return make([]string, len(sensitivityCSVHeader))
	}
	return []string{s.Image, full(s.Zeroed.MAE), full(s.Zeroed.MeanAbsDelta), full(s.Shuffled.MAE), full(s.Shuffled.MeanAbsDelta),
		full(s.Min), strconv.FormatBool(s.IgnoresImage)}
}
