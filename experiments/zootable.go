package experiments

import (
	"fmt"
	"io"

	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/reports/tables"
)

// zooTable writes the mean Dice of every zoo model per split.
func (p *pipeline) zooTable(st *run.Stage, prep *Prepared) error {
	t := tables.Generic{Title: "U-Net zoo: mean Dice per split", Header: []string{"model", "train", "val", "test"}}
	for _, zm := range p.zooModels() {
		preds, err := loadPredictions(st.File("preds", zm.String()+".bin"))
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
	if err := t.Terminal(p.env.Log); err != nil {
		return err
	}
	for ext, render := range map[string]func(io.Writer) error{"md": t.Markdown, "csv": t.CSV, "json": t.JSON} {
		if err := run.WriteAtomic(st.File("results", "zoo."+ext), render); err != nil {
			return err
		}
	}
	return nil
}
