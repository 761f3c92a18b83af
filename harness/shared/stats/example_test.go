package stats_test

import (
	"fmt"

	"github.com/segqa/segqa/harness/shared/stats"
)

func ExampleMAE() {
	pred := []float64{0.9, 0.5, 0.2, 0.75}
	truth := []float64{0.85, 0.6, 0.2, 0.65}
	m, s := stats.MAE(pred, truth)
	fmt.Printf("MAE %.4f ± %.4f, acc(Dice<0.7) %.2f\n", m, s, stats.AccuracyBelow(pred, truth, 0.7))
	// Output: MAE 0.0625 ± 0.0415, acc(Dice<0.7) 0.75
}
