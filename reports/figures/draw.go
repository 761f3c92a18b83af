package figures

import (
	"fmt"
	"io"

	"github.com/segqa/segqa/harness/shared/results"
)

// Draw renders the figure a stage described as a PNG with the default size.
func Draw(w io.Writer, f results.Figure) error {
	switch f := f.(type) {
	case results.ImageGrid:
		cols := f.Cols
		if cols <= 0 {
			cols = len(f.Panels)
		}
		return ImageGrid(w, f.Panels, cols, f.CellPx)
	case results.Curves:
		if f.ErrorBars {
			return WritePNG(w, ErrorBars(f.Series, f.XLabel, f.YLabel, f.Title), 0, 0)
		}
		return WritePNG(w, Curves(f.Series, f.XLabel, f.YLabel, f.Title), 0, 0)
	case results.SmallMultiples:
		return SmallMultiples(w, f)
	case results.Scatter:
		return WritePNG(w, Scatter(f.Predicted, f.Truth, f.Names, f.Title), 0, 0)
	case results.Histograms:
		return WritePNG(w, Histograms(f.Groups, f.Bins, f.Title), 0, 0)
	}
	return fmt.Errorf("figures: cannot draw a %T", f)
}
