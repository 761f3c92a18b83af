package results

import (
	"encoding/json"
	"fmt"
	"io"
)

// Certified is results/certified.json: what median smoothing certifies of
// each method's predicted Dice on the test pool, per noise level σ and L2
// radius. Every figure is over the test pool's N samples; an interval
// that cannot be computed at confidence 1 − Alpha abstains.
type Certified struct {
	Samples   int     `json:"samples"`    // noise draws per input
	Alpha     float64 `json:"alpha"`      // each interval fails with probability at most alpha
	FailBelow float64 `json:"fail_below"` // the pass/fail threshold of the certified decisions
	// NoiseSigma is the σ the REG-Nets were trained with (regnet.noise_sigma).
	NoiseSigma float64          `json:"noise_sigma"`
	Rows       []CertifiedRow   `json:"rows"`
	Throughput []CertifiedSpeed `json:"throughput,omitempty"`
}

// CertifiedRow is one method at one σ and radius.
type CertifiedRow struct {
	Input  Input   `json:"input"`  // the REG-Net's input kind: its identity
	Method string  `json:"method"` // its label, Input.Name
	Sigma  float64 `json:"sigma"`
	Radius float64 `json:"radius"`
	N      int     `json:"n"`
	// SmoothedMAE is the MAE of the smoothed prediction (the median of the
	// noisy outputs) without attack; the same at every radius.
	SmoothedMAE Number `json:"smoothed_mae"`
	// ErrorBound is the mean, over the samples that do not abstain, of the
	// larger distance from the true Dice to either bound: an error no
	// perturbation within the radius can exceed.
	ErrorBound Number `json:"certified_error_bound"`
	// Decisions is the share of all samples whose pass/fail decision at
	// FailBelow is the same everywhere in the interval (abstentions count
	// as not certified).
	Decisions Number `json:"certified_decisions"`
	// CorrectDecisions is the share of all samples whose decision is
	// certified and agrees with the true Dice: a network that predicts a
	// constant certifies every decision, and gets a share of them wrong.
	CorrectDecisions Number `json:"certified_correct_decisions"`
	// Width is the mean width of the intervals that do not abstain.
	Width   Number `json:"interval_width"`
	Abstain Number `json:"abstain_rate"`
}

// CertifiedSpeed is how fast a method's noisy forward passes ran.
type CertifiedSpeed struct {
	Input          Input   `json:"input"`
	ImagesPerSec   float64 `json:"images_per_second"`
	ForwardPasses  int     `json:"forward_passes"`
	Seconds        float64 `json:"seconds"`
	ImagesPerBatch int     `json:"images_per_batch"`
}

// JSON writes the table as results/certified.json holds it.
func (t Certified) JSON(w io.Writer) error {
	if t.Rows == nil {
		t.Rows = []CertifiedRow{}
	}
	return writeJSON(w, t)
}

// ReadCertified reads what Certified.JSON wrote.
func ReadCertified(r io.Reader) (Certified, error) {
	var t Certified
	if err := json.NewDecoder(r).Decode(&t); err != nil {
		return Certified{}, fmt.Errorf("read the certified table: %w", err)
	}
	return t, nil
}

// Row returns the row of input at sigma and radius, or nil.
func (t Certified) Row(input Input, sigma, radius float64) *CertifiedRow {
	for i, r := range t.Rows {
		if r.Input == input && r.Sigma == sigma && r.Radius == radius {
			return &t.Rows[i]
		}
	}
	return nil
}
