package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/reports/tables"
)

// sensitivityExplained says what the input-sensitivity tables show.
const sensitivityExplained = "Each REG-Net runs on the test pool with its image input (x for (x, s), d for (d, s), both for (x, d, s)) " +
	"replaced by zeros, and by the image input of another test sample (a fixed derangement of the pool drawn from the run's seed), " +
	"its segmentation kept. |Δ| is the mean absolute change of its predicted Dice; a network is flagged \"" + tables.VerdictIgnoresImage +
	"\" when both |Δ| are below eval.sensitivity_min (docs/qc.md). The network on s alone has no image input: its MAE is the floor " +
	"of what ignoring the image buys."

// sensitivityOver is Table 1's input sensitivity over seeds: per REG-Net
// (by row ID, with the labels of its first run), the mean ± std across
// seeds of the MAE and mean |Δ| with its image input zeroed and shuffled,
// and in how many seeds it was flagged; the network on s alone with its
// MAE. No rows if no run measured it.
func sensitivityOver(ts []results.Table1) tables.Generic {
	g := tables.Generic{Header: []string{"network", "image", "seeds", "MAE", "zeroed MAE", "zeroed |Δ|", "shuffled MAE", "shuffled |Δ|", "flagged"}}
	var keys []results.Table1ID
	labels := map[results.Table1ID]results.Table1Row{}
	per := map[results.Table1ID][]results.Table1Row{}
	for _, t := range ts {
		for _, r := range t.Rows {
			if r.Sensitivity == nil && r.ID != results.InputS.Table1ID() {
				continue
			}
			if !slices.Contains(keys, r.ID) {
				keys, labels[r.ID] = append(keys, r.ID), r
			}
			per[r.ID] = append(per[r.ID], r)
		}
	}
	if !slices.ContainsFunc(keys, func(k results.Table1ID) bool { return labels[k].Sensitivity != nil }) {
		return g
	}
	for _, k := range keys {
		rows, l := per[k], labels[k]
		figure := func(f func(results.Table1Row) float64) string {
			xs := make([]float64, 0, len(rows))
			for _, r := range rows {
				xs = append(xs, f(r))
			}
			return overSeeds(xs)
		}
		of := func(f func(*results.Sensitivity) float64) string {
			return figure(func(r results.Table1Row) float64 {
				if r.Sensitivity == nil {
					return math.NaN()
				}
				return f(r.Sensitivity)
			})
		}
		row := []string{l.Method + " (" + l.Input + ")", results.Dash, strconv.Itoa(len(rows)), figure(func(r results.Table1Row) float64 { return r.MAE })}
		if l.Sensitivity == nil {
			g.Rows = append(g.Rows, append(row, results.Dash, results.Dash, results.Dash, results.Dash, tables.VerdictNoImage))
			continue
		}
		flagged, measured := 0, 0
		for _, r := range rows {
			if r.Sensitivity != nil {
				measured++
				if r.Sensitivity.IgnoresImage {
					flagged++
				}
			}
		}
		row[1] = l.Sensitivity.Image
		g.Rows = append(g.Rows, append(row,
			of(func(s *results.Sensitivity) float64 { return s.Zeroed.MAE }), of(func(s *results.Sensitivity) float64 { return s.Zeroed.MeanAbsDelta }),
			of(func(s *results.Sensitivity) float64 { return s.Shuffled.MAE }), of(func(s *results.Sensitivity) float64 { return s.Shuffled.MeanAbsDelta }),
			fmt.Sprintf("%d of %d", flagged, measured)))
	}
	return g
}
