package attack

// AcrossThreshold returns the targets that turn an attack on a regressor
// trained with an L1 or L2 loss into one across the pass threshold
// failBelow: fed as the true Dice, they make the loss grow with the
// predicted Dice (target −1, below any prediction) for the samples whose
// true Dice is below failBelow, and fall with it (target 2, above any) for
// the others. Increasing that loss pushes a failed segmentation's
// prediction up towards a pass and a good one's down towards a fail.
// Predictions must lie in [0, 1], as the REG-Nets' sigmoid makes them.
func AcrossThreshold(dice []float64, failBelow float64) []float32 {
	out := make([]float32, len(dice))
	for i, d := range dice {
		out[i] = 2
		if d < failBelow {
			out[i] = -1
		}
	}
	return out
}
