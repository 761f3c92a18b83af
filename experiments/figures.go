package experiments

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"github.com/segqa/segqa/harness/shared/results"
)

var (
	gtColor   = color.RGBA{R: 40, G: 220, B: 90, A: 255}  // ground truth
	segColor  = color.RGBA{R: 250, G: 70, B: 60, A: 255}  // candidate segmentation
	predColor = color.RGBA{R: 255, G: 200, B: 40, A: 255} // anything else
)

// SegmentationColor is the colour the figures outline a candidate
// segmentation in.
func SegmentationColor() color.RGBA { return segColor }

// evenly picks n indices spread over 0..len-1.
func evenly(length, n int) []int {
	if n > length {
		n = length
	}
	out := make([]int, n)
	for i := range out {
		out[i] = i * length / max(n, 1)
	}
	return out
}

// dataSamplesFigure shows test slices with their ground-truth contour.
func dataSamplesFigure(prep *Prepared, n int) results.Figure {
	idx := prep.Index[results.Test]
	var panels []results.Panel
	for _, j := range evenly(len(idx), max(n, 1)) {
		s := prep.Slices[idx[j]]
		panels = append(panels, results.Panel{
			Title: fmt.Sprintf("%s %s z=%d", s.Patient, s.Frame, s.Z),
			Img:   s.Image, W: prep.Px, H: prep.Px, Lo: -1, Hi: 1,
			Contours: []results.Contour{{Mask: s.Mask, Color: gtColor}},
		})
	}
	return results.ImageGrid{Panels: panels, Cols: min(len(panels), 6)}
}

// poolFigures draws the Dice histograms of each split before and after
// sampling, and one test slice with segmentations from several bins.
func poolFigures(w *worker, bins int, prep *Prepared, pools []*Pool, before map[results.Split][]float64) error {
	var groups []results.Group
	for i, split := range Splits {
		pool := pools[i]
		groups = append(groups, results.Group{Name: string(split) + " zoo (before)", Values: before[split]}, results.Group{Name: string(split) + " pool (after)", Values: pool.Dice})
	}
	hist := results.Histograms{Groups: groups, Bins: bins, Title: "Dice of the zoo's segmentations, before and after Dice-uniform sampling"}
	if err := w.figure("pool_histograms.png", hist); err != nil {
		return err
	}
	test := pools[2]
	if test.Len() == 0 {
		return nil
	}
	// The slice with the widest spread of Dice in the test pool.
	lo, hi := map[int]float64{}, map[int]float64{}
	for i, s := range test.Slices {
		if _, ok := lo[s]; !ok {
			lo[s], hi[s] = test.Dice[i], test.Dice[i]
		}
		lo[s], hi[s] = math.Min(lo[s], test.Dice[i]), math.Max(hi[s], test.Dice[i])
	}
	best := test.Slices[0]
	for s := range lo {
		if hi[s]-lo[s] > hi[best]-lo[best] || (hi[s]-lo[s] == hi[best]-lo[best] && s < best) {
			best = s
		}
	}
	var samples []int
	for i, s := range test.Slices {
		if s == best {
			samples = append(samples, i)
		}
	}
	sort.Slice(samples, func(a, b int) bool { return test.Dice[samples[a]] < test.Dice[samples[b]] })
	sl := prep.Slices[best]
	var panels []results.Panel
	for _, j := range evenly(len(samples), 6) {
		i := samples[j]
		panels = append(panels, results.Panel{
			Title: fmt.Sprintf("Dice %.2f\n%s", test.Dice[i], shorten(test.Sources[i], 26)),
			Img:   sl.Image, W: prep.Px, H: prep.Px, Lo: -1, Hi: 1,
			Contours: []results.Contour{{Mask: sl.Mask, Color: gtColor}, {Mask: unpackBits(test.Masks[i], prep.Px*prep.Px), Color: segColor}},
		})
	}
	return w.figure("pool_segmentations.png", results.ImageGrid{Panels: panels, Cols: len(panels)})
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}
