package experiments

import (
	"fmt"

	"github.com/segqa/segqa/harness/shared/results"
)

// zooTable writes the mean Dice of every zoo model per split.
func zooTable(w *worker, zoo zooOutput, prep *Prepared) error {
	t := results.Table{Title: "U-Net zoo: mean Dice per split", Header: []string{"model", "train", "val", "test"}}
	for _, zm := range zoo.models {
		preds, err := zoo.predictions(zm)
		if err != nil {
			return err
		}
		row := []string{zm.String()}
		for _, split := range Splits {
			var sum float64
			for _, i := range prep.Index[split] {
				sum += preds.Dice[i]
			}
			row = append(row, fmt.Sprintf("%.3f", sum/float64(max(len(prep.Index[split]), 1))))
		}
		t.Rows = append(t.Rows, row)
	}
	if w.render.Table != nil {
		if err := w.render.Table(w.log, "txt", t); err != nil {
			return err
		}
	}
	return w.writeTable(results.ZooFile, t)
}
