package report

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/reports/figures"
)

// figuresDir is where a run keeps its figures, relative to the run.
const figuresDir = "results/figures"

// knownFigures lists the figures the pipeline draws, in stage order, with
// their captions.
var knownFigures = []struct{ name, caption string }{
	{"data_samples", "Sample slices of the prepared data set, with the ground-truth myocardium contour."},
	{"pool_histograms", "Dice of the segmentation pools per split: the Dice-balanced sample against what the U-Net zoo offered."},
	{"pool_segmentations", "Sample segmentations from the pool, with their Dice against the ground truth."},
	{"recnet_loss", "REC-Net L1 loss per epoch, training and validation (the paper reports a validation L1 of about 0.01)."},
	{"reconstructions_ds", "Test samples: image x, masked image x(1 − s), REC-Net reconstruction and difference image d."},
	{"regnet_xs_loss", "Loss per epoch of the baseline REG-Net on (x, s), training and validation."},
	{"regnet_ds_loss", "Loss per epoch of the proposed REG-Net on (d, s), training and validation."},
	{"regnet_xds_loss", "Loss per epoch of the REG-Net on (x, d, s), training and validation."},
	{"table1_scatter", "Predicted against true Dice on the test pool, one point per sample (Table 1)."},
	{"table1_predictions", "Test samples with the ground truth and the candidate segmentation, true and predicted Dice (as the paper's Fig. 6)."},
	{"risk_coverage_clean", "Risk-coverage curves on the test pool without attack: accepting the segmentations with the highest predicted Dice first, the mean 1 − true Dice of those accepted, beside the best possible ordering (dashed)."},
	{"reliability", "Reliability on the test pool without attack: predicted Dice in ten equal bins, each bin's mean true Dice ± std against its mean prediction."},
	{"table2_mae_vs_eps", "MAE against the attack level ε, mean ± std (Table 2), at one scale: the paper's protocol, where d is attacked directly, apart; then a panel per pipeline under the attacks on its image x, end to end."},
	{"risk_coverage_attack", "Risk-coverage curves at ε = 0.1: each network under the worst of the attacks on the image x, and the agreement baseline under PGD on x, beside their curves without attack."},
}

// readFigures reads every PNG of dir/results/figures, known figures first
// in stage order, then the others by name. A file that is not a PNG keeps
// no data; its caption says so.
func readFigures(dir string) ([]figure, error) {
	entries, err := os.ReadDir(filepath.Join(dir, filepath.FromSlash(figuresDir)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".png") {
			names = append(names, strings.TrimSuffix(e.Name(), ".png"))
		}
	}
	slices.SortFunc(names, func(a, b string) int {
		if ra, rb := figureRank(a), figureRank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a, b)
	})
	figs := make([]figure, 0, len(names))
	for _, name := range names {
		f := figure{file: figuresDir + "/" + name + ".png", caption: figureCaption(name)}
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.file)))
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			f.caption += " (The file could not be read as a PNG.)"
		} else {
			f.data, f.w, f.h = data, cfg.Width, cfg.Height
		}
		figs = append(figs, f)
	}
	return figs, nil
}

// figureRank orders known figures by their place in knownFigures and puts
// the others after them.
func figureRank(name string) int {
	i := slices.IndexFunc(knownFigures, func(k struct{ name, caption string }) bool { return k.name == name })
	if i < 0 {
		return len(knownFigures)
	}
	return i
}

// figureCaption is the caption of a known figure, else its file name.
func figureCaption(name string) string {
	if i := figureRank(name); i < len(knownFigures) {
		return knownFigures[i].caption
	}
	if in, ok := strings.CutPrefix(name, "regnet_"); ok {
		if in, ok = strings.CutSuffix(in, "_loss"); ok {
			return fmt.Sprintf("Loss per epoch of the REG-Net on input %q, training and validation.", in)
		}
	}
	return name + ".png"
}

// figureSection adds every figure, or says that there are none.
func figureSection(r *Report, figs []figure) {
	s := r.add("figures", "Figures", 2)
	if len(figs) == 0 {
		s.para("No figures: `%s` holds no PNG files (figures are off, or no stage has drawn one yet).", figuresDir)
		return
	}
	s.para("The figures of every stage that has run, in pipeline order.")
	for _, f := range figs {
		s.blocks = append(s.blocks, f)
	}
}

// drawn draws f into a figure block saved as file (relative to the report)
// with its caption; name says which figure an error concerns.
func drawn(name, file, caption string, f results.Figure) (figure, error) {
	var buf bytes.Buffer
	if err := figures.Draw(&buf, f); err != nil {
		return figure{}, fmt.Errorf("report: the %s figure: %w", name, err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(buf.Bytes()))
	if err != nil {
		return figure{}, fmt.Errorf("report: the %s figure: %w", name, err)
	}
	return figure{file: file, caption: caption, data: buf.Bytes(), w: cfg.Width, h: cfg.Height, drawn: true}, nil
}
