package score

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/segqa/segqa/experiments"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/shared/stats"
)

// Table is the per-slice scores.
func (r *Result) Table() results.Table {
	inputs := r.Inputs
	certified := experiments.CertifiedInputs()
	t := results.Table{Title: "Predicted Dice per slice (no ground truth used)", Header: []string{"slice", "segmentation pixels"}}
	if r.Alpha > 0 {
		t.Title += fmt.Sprintf(", with its %g%% conformal interval", 100*(1-r.Alpha)) + r.calibrationText()
	}
	for _, in := range inputs {
		t.Header = append(t.Header, in.Name())
	}
	if c := r.Certify; c != nil {
		t.Title += fmt.Sprintf("; certified: smoothed Dice [interval] for any change of the image up to L2 %g (σ %g, %d draws, probability ≥ %g)", c.Radius, c.Sigma, c.Samples, 1-c.Alpha)
		for _, in := range inputs {
			if slices.Contains(certified, in) {
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
				if slices.Contains(certified, in) {
					row = append(row, s.certifiedText(in, 3))
				}
			}
		}
		t.Rows = append(t.Rows, append(row, fmt.Sprintf("%.4f", s.MeanD)))
	}
	return t
}

// addIntervals puts the conformal interval of the run (results/
// conformal.json, written by Table 1) beside each prediction; a run
// without one gets none.
func (r *Result) addIntervals(runDir string) error {
	var c results.Conformal
	raw, err := os.ReadFile(filepath.Join(runDir, filepath.FromSlash(results.ConformalFile)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("score: %w", err)
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return fmt.Errorf("score: %s: %w", results.ConformalFile, err)
	}
	r.Alpha, r.Calibration = c.Alpha, &c
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

// calibrationText says how the run calibrated its intervals and how often
// they held on its test pool: " (patient conformal on 40 calibration
// patients; on the run's test pool it held 0.89 [0.84, 0.94] of (x, s)'s
// true Dice, ...; without attack only)", empty for a run that did not
// record it.
func (r *Result) calibrationText() string {
	c := r.Calibration
	if c == nil || c.Method == "" {
		return ""
	}
	pool := "validation"
	if c.Pool == results.Calib {
		pool = "calibration"
	}
	s := fmt.Sprintf(" (%s conformal on %d %s patients", c.Method, len(c.Patients), pool)
	var held []string
	for _, in := range r.Inputs {
		n, ok := c.Networks[in]
		if !ok || math.IsNaN(float64(n.Coverage)) {
			continue
		}
		held = append(held, fmt.Sprintf("%.2f [%.2f, %.2f] of %s's", float64(n.Coverage), float64(n.CoverageCI[0]), float64(n.CoverageCI[1]), in.Channels()))
	}
	if len(held) > 0 {
		s += "; on the run's test pool it held " + strings.Join(held, ", ") + " true Dice, 95% intervals over its patients"
	}
	return s + "; without attack only)"
}

// text is the predicted Dice of input with its interval, if any, at the
// given decimals: "0.812 [0.701, 0.923]".
func (s Slice) text(in results.Input, decimals int) string {
	v := fmt.Sprintf("%.*f", decimals, s.Predicted[in])
	if iv, ok := s.Interval[in]; ok {
		v += fmt.Sprintf(" [%.*f, %.*f]", decimals, iv[0], decimals, iv[1])
	}
	return v
}

// certifiedText is a slice's certified interval of input: "0.81 [0.78,
// 0.85]", "0.81 (abstains)", or "" when not certified.
func (s Slice) certifiedText(in results.Input, decimals int) string {
	c, ok := s.Certified[in]
	if !ok {
		return ""
	}
	if c.Abstain {
		return fmt.Sprintf("%.*f (abstains)", decimals, c.Median)
	}
	return fmt.Sprintf("%.*f [%.*f, %.*f]", decimals, c.Median, decimals, float64(c.Lo), decimals, float64(c.Hi))
}
