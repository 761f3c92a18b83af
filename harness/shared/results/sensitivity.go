package results

import (
	"io"
	"math"
)

// DefaultSensitivityMin is eval.sensitivity_min's default, in Dice: a
// network whose image input explains 1% of the variance of the true Dice
// of a Dice-uniform pool (std 1/√12 ≈ 0.289, so its image-driven part has
// std 0.029) moves by E|h − h'| ≈ 1.13 · 0.029 ≈ 0.033 when its image is
// swapped for another sample's; rounded down to 0.03 (docs/qc.md).
const DefaultSensitivityMin = 0.03

// Sensitivity is how a REG-Net's predictions on the test pool move when its
// image input (Image: "x", "d" or "x, d"; see Input.ImageInputs) is
// replaced, its segmentation kept: by zeros, and by the image input of
// another test sample (a fixed derangement of the pool). A network that
// moves by less than Min under both replacements is flagged: it does not
// use its image.
type Sensitivity struct {
	Image            string
	Zeroed, Shuffled Replaced
	// Min is eval.sensitivity_min, the mean |Δ prediction| below which a
	// replacement counts as not moving the network.
	Min float64
	// IgnoresImage flags the network: neither replacement moved its
	// predictions by Min on average.
	IgnoresImage bool
}

// Replaced is a network's predictions with its image input replaced: their
// MAE against the true Dice, and their mean |Δ| from the network's own
// predictions; NaN when not measured.
type Replaced struct {
	MAE          float64
	MeanAbsDelta float64
}

// NewSensitivity measures predictions zeroed and shuffled (the image input
// replaced by zeros and by another sample's) against truth and against the
// network's own predictions pred, all in the same sample order, and flags
// the network when both mean |Δ| are below min. A nil list is a
// replacement not made (NaN), which flags nothing.
func NewSensitivity(image string, truth, pred, zeroed, shuffled []float64, min float64) Sensitivity {
	s := Sensitivity{Image: image, Zeroed: replaced(truth, pred, zeroed), Shuffled: replaced(truth, pred, shuffled), Min: min}
	s.IgnoresImage = s.Zeroed.MeanAbsDelta < min && s.Shuffled.MeanAbsDelta < min
	return s
}

// Moved is the larger of the two mean |Δ|: how far the network moves under
// the replacement that moves it most, NaN when either is unknown.
func (s Sensitivity) Moved() float64 {
	z, sh := s.Zeroed.MeanAbsDelta, s.Shuffled.MeanAbsDelta
	if math.IsNaN(z) || math.IsNaN(sh) {
		return math.NaN()
	}
	return max(z, sh)
}

// replaced is the MAE of got against truth and its mean |Δ| from pred.
func replaced(truth, pred, got []float64) Replaced {
	if len(got) == 0 || len(got) != len(truth) || len(got) != len(pred) {
		return Replaced{MAE: math.NaN(), MeanAbsDelta: math.NaN()}
	}
	var mae, delta float64
	for i, g := range got {
		mae += math.Abs(g - truth[i])
		delta += math.Abs(g - pred[i])
	}
	n := float64(len(got))
	return Replaced{MAE: mae / n, MeanAbsDelta: delta / n}
}

// sensitivityJSON is a Sensitivity in a Table 1 row.
type sensitivityJSON struct {
	Image        string       `json:"image"`
	Zeroed       replacedJSON `json:"zeroed"`
	Shuffled     replacedJSON `json:"shuffled"`
	Min          Number       `json:"min"`
	IgnoresImage bool         `json:"ignores_image"`
}

type replacedJSON struct {
	MAE          Number `json:"mae"`
	MeanAbsDelta Number `json:"mean_abs_delta"`
}

func (s *Sensitivity) toJSON() *sensitivityJSON {
	if s == nil {
		return nil
	}
	return &sensitivityJSON{
		Image: s.Image, Min: Number(s.Min), IgnoresImage: s.IgnoresImage,
		Zeroed:   replacedJSON{Number(s.Zeroed.MAE), Number(s.Zeroed.MeanAbsDelta)},
		Shuffled: replacedJSON{Number(s.Shuffled.MAE), Number(s.Shuffled.MeanAbsDelta)},
	}
}

func (j *sensitivityJSON) sensitivity() *Sensitivity {
	if j == nil {
		return nil
	}
	return &Sensitivity{
		Image: j.Image, Min: float64(j.Min), IgnoresImage: j.IgnoresImage,
		Zeroed:   Replaced{float64(j.Zeroed.MAE), float64(j.Zeroed.MeanAbsDelta)},
		Shuffled: Replaced{float64(j.Shuffled.MAE), float64(j.Shuffled.MeanAbsDelta)},
	}
}

// Table1Sensitivity is Table 1 seen as each REG-Net's input sensitivity:
// a row per network that has an image input.
type Table1Sensitivity Table1

// JSON writes the whole Table 1 (see Table1.JSON).
func (t Table1Sensitivity) JSON(w io.Writer) error {
	return Table1(t).JSON(w)
}

// HasSensitivity reports whether any row measured its input sensitivity.
func (t Table1) HasSensitivity() bool {
	for _, r := range t.Rows {
		if r.Sensitivity != nil {
			return true
		}
	}
	return false
}
