package score

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/experiments"
	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/data/acdc"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/tfrun"
)

// Slice is the assessment of one slice of a segmentation.
type Slice struct {
	Z         int                       `json:"z"`
	SegPixels int                       `json:"segmentation_pixels"`
	Predicted map[results.Input]float64 `json:"predicted_dice"` // by REG-Net input kind
	// Interval is each prediction's conformal interval [low, high],
	// when the run calibrated one (see Result.Alpha).
	Interval map[results.Input][2]float64 `json:"interval,omitempty"`
	MeanD    float64                      `json:"mean_d_in_segmentation"`
	// Certified is each smoothed prediction's certified interval (score
	// --certify; see Result.Certify).
	Certified map[results.Input]CertifiedInterval `json:"certified,omitempty"`
}

// Result is what segqa score reports for one image and segmentation, as
// score.json records it.
type Result struct {
	Run          string          `json:"run"`
	Image        string          `json:"image"`
	Segmentation string          `json:"segmentation"`
	Inputs       []results.Input `json:"inputs"` // REG-Net input kinds, e.g. xs and ds
	Slices       []Slice         `json:"slices"`
	// Alpha is the miscoverage of the intervals: on data like the run's
	// calibration pool, an interval misses the true Dice with probability
	// at most Alpha (without attack). 0 when the run has no calibration.
	Alpha float64 `json:"alpha,omitempty"`
	// Calibration is the run's conformal.json: how the intervals were
	// calibrated, on which patients, and how often they held on the run's
	// test pool, with a 95% interval over its patients.
	Calibration *results.Conformal `json:"calibration,omitempty"`
	// ErrorMap is the difference image d, stacked over slices, on the
	// preprocessed grid (data.size pixels at data.spacing_mm), beside the
	// preprocessed image it belongs to.
	ErrorMap, PreprocessedImage string
	// Certify says how the certified intervals were made; nil without
	// --certify.
	Certify *Certification `json:"certify,omitempty"`
}

// Options say which trained run to use and where to write.
type Options struct {
	Run     string // run directory that holds trained REG-Nets
	Store   string // its stage store; empty means RUN/stages
	Label   int    // target label of the segmentation; 0 means any non-zero
	Out     string // folder for score.json, error_map.nii.gz, score.png
	Session tfrun.Options
	Render  experiments.Renderers // score.png; nil Figure leaves it out
	// Certify adds each slice's certified interval (median smoothing with
	// the run's certify.samples and certify.alpha) at noise Sigma and L2
	// radius Radius; 0 takes the run's first certify.sigma and first
	// certify.radii.
	Certify       bool
	Sigma, Radius float64
}

// Run predicts the Dice of every slice of the segmentation seg of the
// image img with the REG-Nets of a finished run, without ground truth, and
// writes the difference image d as an error map.
func Run(ctx context.Context, img, seg string, o Options) (*Result, error) {
	if o.Store == "" {
		o.Store = filepath.Join(o.Run, "stages")
	}
	tr, err := openTrained(o)
	if err != nil {
		return nil, err
	}
	cfg := tr.cfg
	slices, err := acdc.LoadPair(img, seg, loadOptions(cfg.Data, o.Label))
	if err != nil {
		return nil, fmt.Errorf("score: %w", err)
	}
	res := &Result{Run: o.Run, Image: img, Segmentation: seg, Inputs: cfg.RegNet.Inputs}
	px := cfg.Data.Size
	var xs, ss []float32
	for _, s := range slices {
		xs, ss = append(xs, s.Image...), append(ss, experiments.MaskFloats(s.Mask)...)
		res.Slices = append(res.Slices, Slice{Z: s.Z, SegPixels: countOn(s.Mask), Predicted: map[results.Input]float64{}})
	}
	diff, err := tr.predict(res, xs, ss, px)
	if err != nil {
		return nil, err
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
		if err := tr.certifySlices(ctx, res, xs, ss, px, sc); err != nil {
			return nil, err
		}
	}
	if diff != nil {
		res.addMeanD(slices, diff, px)
	}
	return res, res.write(o.Out, slices, xs, diff, cfg, o.Render)
}

// trained is a finished run that scores: its config, resolved for this
// machine, its stages and the session settings its networks run with.
type trained struct {
	cfg     config.Config
	stages  map[results.StageName]*run.Stage
	session tfrun.Options
}

// openTrained reads the run's config and finds its stages in o.Store,
// checking that its REC-Net and REG-Nets finished and are intact.
func openTrained(o Options) (*trained, error) {
	path := filepath.Join(o.Run, "config.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("score: %s is not a segqa run directory: %w", o.Run, err)
	}
	var cfg config.Config
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return nil, fmt.Errorf("score: %s: %w", path, err)
	}
	// The checkpoints hold float32 weights: any precision restores them.
	cfg, _ = experiments.ResolvePrecisions(cfg, o.Session)
	tr := &trained{cfg: cfg, stages: map[results.StageName]*run.Stage{}, session: o.Session}
	for name, key := range runKeys(o.Run, cfg) {
		tr.stages[name] = run.NewStageAt(o.Store, string(name), key)
	}
	if !tr.stages[results.StageRegNet].Done() {
		return nil, fmt.Errorf("score: run %s has no trained REG-Nets (stage regnet not finished in %s)", o.Run, o.Store)
	}
	for _, name := range []results.StageName{results.StageRecNet, results.StageRegNet} {
		if _, err := tr.stages[name].Verify(cfg.Runtime.Verify); err != nil {
			return nil, fmt.Errorf("score: %w; segqa run with the run's config runs the stage again", err)
		}
	}
	return tr, nil
}

// runKeys returns the stage keys a run used: those its manifest records
// (the data may have moved since), the others as the config gives them.
func runKeys(dir string, cfg config.Config) map[results.StageName]string {
	fp, _ := experiments.Fingerprint(cfg.Data) // a moved data.root leaves the manifest to say
	keys := experiments.Keys(cfg, fp)
	var man run.Manifest
	if err := run.ReadJSON(filepath.Join(dir, "manifest.json"), &man); err == nil {
		for name, st := range man.Stages {
			if _, ok := keys[results.StageName(name)]; ok {
				keys[results.StageName(name)] = st.Key
			}
		}
	}
	return keys
}

// loadOptions are the data stage's preprocessing options for a
// segmentation whose target is label (0: any non-zero label).
func loadOptions(d config.Data, label int) acdc.Options {
	opt := experiments.DataOptions(d)
	opt.Label = nil
	if label > 0 {
		opt.Label = []int{label}
	}
	return opt
}

// openRegNet opens the run's REG-Net of input for px × px images; closeFn
// closes its session.
func (tr *trained) openRegNet(input results.Input, px int) (m *graphs.Model, sess *tf.Session, closeFn func(), err error) {
	return experiments.OpenRegNet(tr.cfg, tr.stages[results.StageRegNet], tr.session, input, px)
}

// predict fills in each slice's predicted Dice from every REG-Net of the
// run, on the stacked images xs and masks ss, and returns d on the paper's
// scale (the network opened carries the scale it is fed d on), nil when no
// REG-Net computes it.
func (tr *trained) predict(res *Result, xs, ss []float32, px int) (diff []float32, err error) {
	n := len(res.Slices)
	for _, input := range tr.cfg.RegNet.Inputs {
		m, sess, closeFn, err := tr.openRegNet(input, px)
		if err != nil {
			return nil, fmt.Errorf("score: %w", err)
		}
		fetch := []tf.Output{m.Output}
		if m.Diff.Op != nil {
			fetch = append(fetch, m.Diff)
		}
		out, err := sess.Run(experiments.RegNetFeeds(m, xs, ss, n, px), fetch, nil)
		closeFn()
		if err != nil {
			return nil, fmt.Errorf("score: REG-Net %s: %w", input, err)
		}
		for i, v := range tfrun.Floats(out[0]) {
			res.Slices[i].Predicted[input] = float64(v)
		}
		if len(out) > 1 && diff == nil {
			diff = unscaledD(tfrun.Floats(out[1]), m.DScale)
		}
	}
	return diff, nil
}

// unscaledD puts diff, d as a (d, s) network is fed it (divided by scale,
// its graphs.Model.DScale, unless 0), back on the scale the paper defines
// it on.
func unscaledD(diff []float32, scale float32) []float32 {
	if scale > 0 {
		for i := range diff {
			diff[i] *= scale
		}
	}
	return diff
}

// addMeanD sets each slice's mean of d over its segmentation.
func (r *Result) addMeanD(slices []acdc.Slice, diff []float32, px int) {
	for i, s := range slices {
		var sum float64
		for k, on := range s.Mask {
			if on != 0 {
				sum += float64(diff[i*px*px+k])
			}
		}
		r.Slices[i].MeanD = sum / float64(max(r.Slices[i].SegPixels, 1))
	}
}

func countOn(m []uint8) (n int) {
	for _, v := range m {
		if v != 0 {
			n++
		}
	}
	return n
}
