package tables_test

import (
	"math"
	"os"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/reports/tables"
)

func ExampleTable1_Markdown() {
	ours := results.Table1{Rows: []results.Table1Row{
		{ID: results.InputDS.Table1ID(), Method: results.MethodProposed, Input: results.InputDS.Channels(), MAE: 0.0412, Std: 0.0498, N: 1000, Pearson: 0.97, Accuracy07: math.NaN()},
	}}
	tables.Table1(ours.WithPaper(results.PaperTable1())).Markdown(os.Stdout)
	// Output:
	// | method | network & input | MAE (ours, mean ± std) | paper | n | Pearson r | acc(Dice<0.7) |
	// |---|---|---:|---:|---:|---:|---:|
	// | proposed | d, s | 0.04 ± 0.05 | 0.04 ± 0.05 | 1000 | 0.97 | — |
}
