package experiments

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/dataset"
	"github.com/segqa/segqa/harness/nifti"
	"github.com/segqa/segqa/harness/results"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/stats"
	"github.com/segqa/segqa/harness/tfrun"
)

// SliceScore is the assessment of one slice of a segmentation.
type SliceScore struct {
	Z         int                       `json:"z"`
	SegPixels int                       `json:"segmentation_pixels"`
	Predicted map[results.Input]float64 `json:"predicted_dice"` // by REG-Net input kind
	// Interval is each prediction's split-conformal interval [low, high],
	// when the run calibrated one (see ScoreResult.Alpha).
	Interval map[results.Input][2]float64 `json:"interval,omitempty"`
	MeanD    float64                      `json:"mean_d_in_segmentation"`
	// Certified is each smoothed prediction's certified interval (score
	// --certify; see ScoreResult.Certify).
	Certified map[results.Input]CertifiedInterval `json:"certified,omitempty"`
}

// ScoreResult is what segqa score reports for one image and segmentation.
type ScoreResult struct {
	Run          string          `json:"run"`
	Image        string          `json:"image"`
	Segmentation string          `json:"segmentation"`
	Inputs       []results.Input `json:"inputs"` // REG-Net input kinds, e.g. xs and ds
	Slices       []SliceScore    `json:"slices"`
	// Alpha is the miscoverage of the intervals: on data like the run's
	// validation pool, an interval misses the true Dice with probability
	// at most Alpha. 0 when the run has no calibration.
	Alpha float64 `json:"alpha,omitempty"`
	// ErrorMap is the difference image d, stacked over slices, on the
	// preprocessed grid (data.size pixels at data.spacing_mm), beside the
	// preprocessed image it belongs to.
	ErrorMap, PreprocessedImage string
	// Certify says how the certified intervals were made; nil without
	// --certify.
	Certify *ScoreCertify `json:"certify,omitempty"`
}

// ScoreOptions say which trained run to use and where to write.
type ScoreOptions struct {
	Run     string // run directory that holds trained REG-Nets
	Store   string // its stage store; empty means RUN/stages
	Label   int    // target label of the segmentation; 0 means any non-zero
	Out     string // folder for score.json, error_map.nii.gz, score.png
	Session tfrun.Options
	Render  Renderers // score.png; nil Figure leaves it out
	// Certify adds each slice's certified interval (median smoothing with
	// the run's certify.samples and certify.alpha) at noise Sigma and L2
	// radius Radius; 0 takes the run's first certify.sigma and first
	// certify.radii.
	Certify       bool
	Sigma, Radius float64
}

// Score predicts the Dice of every slice of a segmentation of an image
// with the REG-Nets of a finished run, without ground truth, and writes the
// difference image d as an error map.
func Score(img, seg string, o ScoreOptions) (*ScoreResult, error) {
	raw, err := os.ReadFile(filepath.Join(o.Run, "config.json"))
	if err != nil {
		return nil, fmt.Errorf("score: %s is not a segqa run directory: %w", o.Run, err)
	}
	var cfg config.Config
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return nil, fmt.Errorf("score: %s: %w", filepath.Join(o.Run, "config.json"), err)
	}
	if o.Store == "" {
		o.Store = filepath.Join(o.Run, "stages")
	}
	// The checkpoints hold float32 weights: any precision restores them.
	cfg, _ = resolvePrecisions(cfg, o.Session)
	up := storeUpstream(cfg, runKeys(o.Run, cfg), o.Store, o.Session)
	nets := up.regNets()
	if !up.stages[results.StageRegNet].Done() {
		return nil, fmt.Errorf("score: run %s has no trained REG-Nets (stage regnet not finished in %s)", o.Run, o.Store)
	}
	for _, name := range []string{results.StageRecNet, results.StageRegNet} {
		if _, err := up.stages[name].Verify(cfg.Runtime.Verify); err != nil {
			return nil, fmt.Errorf("score: %w; segqa run with the run's config runs the stage again", err)
		}
	}
	opt := dataOptions(cfg.Data)
	opt.Label = nil
	if o.Label > 0 {
		opt.Label = []int{o.Label}
	}
	slices, err := dataset.LoadPair(img, seg, opt)
	if err != nil {
		return nil, err
	}
	res := &ScoreResult{Run: o.Run, Image: img, Segmentation: seg, Inputs: cfg.RegNet.Inputs}
	px := cfg.Data.Size
	var xs, ss []float32
	for _, s := range slices {
		xs, ss = append(xs, s.Image...), append(ss, toFloat(s.Mask)...)
		res.Slices = append(res.Slices, SliceScore{Z: s.Z, SegPixels: countOn(s.Mask), Predicted: map[results.Input]float64{}})
	}
	var diff []float32
	for _, input := range cfg.RegNet.Inputs {
		m, sess, closeFn, err := nets.open(input, px)
		if err != nil {
			return nil, err
		}
		fetch := []tf.Output{m.Output}
		if m.Diff.Op != nil {
			fetch = append(fetch, m.Diff)
		}
		out, err := sess.Run(map[tf.Output]*tf.Tensor{m.Inputs[0]: images(xs, len(slices), px), m.Inputs[1]: images(ss, len(slices), px)}, fetch, nil)
		closeFn()
		if err != nil {
			return nil, err
		}
		for i, v := range tfrun.Floats(out[0]) {
			res.Slices[i].Predicted[input] = float64(v)
		}
		if len(out) > 1 && diff == nil {
			diff = tfrun.Floats(out[1])
		}
	}
	if err := res.addIntervals(o.Run); err != nil {
		return nil, err
	}
	if o.Certify {
		c := cfg.Certify
		sc, err := certifyOptions(o, c.Samples, c.Alpha, c.Sigma, c.Radii)
		if err != nil {
			return nil, err
		}
		if err := certifySlices(context.Background(), nets, max(c.Batch, 1), res, xs, ss, px, sc); err != nil {
			return nil, err
		}
	}
	if diff != nil {
		// The error map is d as the paper defines it, whatever scale the
		// (d, s) network is fed it on (regnet.d_scale).
		scale, err := nets.dScale()
		if err != nil {
			return nil, err
		}
		if scale > 0 {
			for i := range diff {
				diff[i] *= scale
			}
		}
		for i, s := range slices {
			var sum float64
			for k, on := range s.Mask {
				if on != 0 {
					sum += float64(diff[i*px*px+k])
				}
			}
			res.Slices[i].MeanD = sum / float64(max(res.Slices[i].SegPixels, 1))
		}
	}
	return res, res.write(o.Out, slices, xs, diff, cfg, o.Render)
}

// runKeys returns the stage keys a run used: those its manifest records
// (the data may have moved since), the others as the config gives them.
func runKeys(dir string, cfg config.Config) map[string]string {
	fp, _ := Fingerprint(cfg.Data) // a moved data.root leaves the manifest to say
	keys := Keys(cfg, fp)
	var man run.Manifest
	if err := run.ReadJSON(filepath.Join(dir, "manifest.json"), &man); err == nil {
		for name, st := range man.Stages {
			if _, ok := keys[name]; ok {
				keys[name] = st.Key
			}
		}
	}
	return keys
}

func countOn(m []uint8) (n int) {
	for _, v := range m {
		if v != 0 {
			n++
		}
	}
	return n
}

// write saves score.json, the error map and the preprocessed image as NIfTI,
// and score.png.
func (r *ScoreResult) write(out string, slices []dataset.Slice, xs, diff []float32, cfg config.Config, render Renderers) error {
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
	r.PreprocessedImage = filepath.Join(out, "image_preprocessed.nii.gz")
	if err := nifti.Write(r.PreprocessedImage, volume(xs)); err != nil {
		return err
	}
	if diff != nil {
		r.ErrorMap = filepath.Join(out, "error_map.nii.gz")
		if err := nifti.Write(r.ErrorMap, volume(diff)); err != nil {
			return err
		}
	}
	if err := run.WriteJSON(filepath.Join(out, "score.json"), r); err != nil {
		return err
	}
	var panels []results.Panel
	for i, s := range slices {
		if r.Slices[i].SegPixels == 0 {
			continue
		}
		title := fmt.Sprintf("z=%d", s.Z)
		for _, in := range cfg.RegNet.Inputs {
			title += fmt.Sprintf("\n%s: %s", in.Channels(), r.Slices[i].text(in, 2))
		}
		panels = append(panels, results.Panel{Title: title, Img: s.Image, W: px, H: px, Lo: -1, Hi: 1, Contours: []results.Contour{{Mask: s.Mask, Color: segColor}}})
		if diff != nil {
			panels = append(panels, results.Panel{Title: fmt.Sprintf("error map d\nmean in s %.3f", r.Slices[i].MeanD), Img: diff[i*px*px : (i+1)*px*px], W: px, H: px, Lo: 0, Hi: 1, Colormap: "hot"})
		}
	}
	if len(panels) == 0 {
		return nil
	}
	return render.draw(filepath.Join(out, "score.png"), results.ImageGrid{Panels: panels, Cols: min(len(panels), 6)})
}

// Table is the per-slice scores.
func (r *ScoreResult) Table() results.Table {
	inputs := r.Inputs
	t := results.Table{Title: "Predicted Dice per slice (no ground truth used)", Header: []string{"slice", "segmentation pixels"}}
	if r.Alpha > 0 {
		t.Title += fmt.Sprintf(", with its %g%% conformal interval", 100*(1-r.Alpha))
	}
	for _, in := range inputs {
		t.Header = append(t.Header, in.Name())
	}
	if c := r.Certify; c != nil {
		t.Title += fmt.Sprintf("; certified: smoothed Dice [interval] for any change of the image up to L2 %g (σ %g, %d draws, probability ≥ %g)", c.Radius, c.Sigma, c.Samples, 1-c.Alpha)
		for _, in := range inputs {
			if slices.Contains(certifiedInputs, in) {
				t.Header = append(t.Header, in.Name()+" certified")
			}
		}
	}
	t.Header = append(t.Header, "mean d in s")
	for _, s := range r.Slices {
		row := []string{fmt.Sprint(s.Z), fmt.Sprint(s.SegPixels)}
		for _, in := range inputs {
			v := s.text(in, 3)
			if s.SegPixels == 0 {
				v = "— (empty)"
			}
			row = append(row, v)
		}
		if r.Certify != nil {
			for _, in := range inputs {
				if slices.Contains(certifiedInputs, in) {
					row = append(row, s.certifiedText(in, 3))
				}
			}
		}
		t.Rows = append(t.Rows, append(row, fmt.Sprintf("%.4f", s.MeanD)))
	}
	return t
}

// addIntervals puts the split-conformal interval of the run (results/
// conformal.json, written by Table 1) beside each prediction; a run
// without one gets none.
func (r *ScoreResult) addIntervals(run string) error {
	var c results.Conformal
	raw, err := os.ReadFile(filepath.Join(run, filepath.FromSlash(results.ConformalFile)))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("score: %w", err)
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return fmt.Errorf("score: %s: %w", results.ConformalFile, err)
	}
	r.Alpha = c.Alpha
	for i := range r.Slices {
		s := &r.Slices[i]
		s.Interval = map[results.Input][2]float64{}
		for in, p := range s.Predicted {
			if q, ok := c.HalfWidth[in]; ok {
				lo, hi := stats.Interval(p, q, 0, 1)
				s.Interval[in] = [2]float64{lo, hi}
			}
		}
	}
	return nil
}

// text is the predicted Dice of input with its interval, if any, at the
// given decimals: "0.812 [0.701, 0.923]".
func (s SliceScore) text(in results.Input, decimals int) string {
	v := fmt.Sprintf("%.*f", decimals, s.Predicted[in])
	if iv, ok := s.Interval[in]; ok {
		v += fmt.Sprintf(" [%.*f, %.*f]", decimals, iv[0], decimals, iv[1])
	}
	return v
}
