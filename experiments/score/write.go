package score

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/segqa/segqa/experiments"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/data/acdc"
	"github.com/segqa/segqa/harness/data/nifti"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
)

// Files that Run writes in Options.Out.
const (
	ResultFile            = "score.json"
	ErrorMapFile          = "error_map.nii.gz"
	PreprocessedImageFile = "image_preprocessed.nii.gz"
	FigureFile            = "score.png"
)

// write saves score.json, the error map and the preprocessed image as NIfTI
// on the preprocessed grid, and score.png.
func (r *Result) write(out string, slices []acdc.Slice, xs, diff []float32, cfg config.Config, render experiments.Renderers) error {
	px, nz := cfg.Data.Size, len(slices)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("score: %w", err)
	}
	volume := func(data []float32) *nifti.Volume {
		v := &nifti.Volume{Dim: []int{px, px, nz}, Spacing: []float64{cfg.Data.SpacingMM, cfg.Data.SpacingMM, 1}, Datatype: nifti.Float32, XYZTUnits: 2, Descrip: "segqa preprocessed grid"}
		v.Data = make([]float64, len(data))
		for i, x := range data {
			v.Data[i] = float64(x)
		}
		return v
	}
	r.PreprocessedImage = filepath.Join(out, PreprocessedImageFile)
	if err := nifti.Write(r.PreprocessedImage, volume(xs)); err != nil {
		return fmt.Errorf("score: %w", err)
	}
	if diff != nil {
		r.ErrorMap = filepath.Join(out, ErrorMapFile)
		if err := nifti.Write(r.ErrorMap, volume(diff)); err != nil {
			return fmt.Errorf("score: %w", err)
		}
	}
	if err := run.WriteJSON(filepath.Join(out, ResultFile), r); err != nil {
		return fmt.Errorf("score: %w", err)
	}
	fig := r.figure(slices, diff, cfg)
	if len(fig.Panels) == 0 {
		return nil
	}
	if err := render.Draw(filepath.Join(out, FigureFile), fig); err != nil {
		return fmt.Errorf("score: %s: %w", FigureFile, err)
	}
	return nil
}

// figure is score.png: each slice with the segmentation outlined and its
// predictions, beside its error map d when there is one.
func (r *Result) figure(slices []acdc.Slice, diff []float32, cfg config.Config) results.ImageGrid {
	px := cfg.Data.Size
	var panels []results.Panel
	for i, s := range slices {
		if r.Slices[i].SegPixels == 0 {
			continue
		}
		title := fmt.Sprintf("z=%d", s.Z)
		for _, in := range cfg.RegNet.Inputs {
			title += fmt.Sprintf("\n%s: %s", in.Channels(), r.Slices[i].text(in, 2))
		}
		panels = append(panels, results.Panel{Title: title, Img: s.Image, W: px, H: px, Lo: -1, Hi: 1, Contours: []results.Contour{{Mask: s.Mask, Color: experiments.SegmentationColor()}}})
		if diff != nil {
			panels = append(panels, results.Panel{Title: fmt.Sprintf("error map d\nmean in s %.3f", r.Slices[i].MeanD), Img: diff[i*px*px : (i+1)*px*px], W: px, H: px, Lo: 0, Hi: 1, Colormap: "hot"})
		}
	}
	return results.ImageGrid{Panels: panels, Cols: min(len(panels), 6)}
}
