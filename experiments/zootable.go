package experiments

import (
	"fmt"

	"github.com/segqa/segqa/harness/results"
	"github.com/segqa/segqa/harness/run"
)

// zooTable writes the mean Dice of every zoo model per split.
func (p *pipeline) zooTable(st *run.Stage, prep *Prepared) error {
	t := results.Table{Title: "U-Net zoo: mean Dice per split", Header: []string{"model", "train", "val", "test"}}
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
	if p.env.Render.Table != nil {
		if err := p.env.Render.Table(p.env.Log, "txt", t); err != nil {
			return err
		}
	}
	return p.env.Render.writeTable(st.File("results"), "zoo", t)
}
