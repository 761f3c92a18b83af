package config

import "slices"

// Certify is randomized smoothing of the REG-Nets (Chiang et al. 2020,
// median smoothing): each method's prediction is the median of its
// outputs over Gaussian noise on x, and an interval holds that median for
// every change of x up to an L2 radius, with probability at least
// 1 − alpha over the noise draws. The baseline is smoothed on x; the
// proposed pipeline end to end (noise on x, then REC-Net, d and the
// (d, s) REG-Net). The certify stage runs only when enabled.
type Certify struct {
	Enabled bool      `mapstructure:"enabled" json:"enabled"`
	Sigma   []float64 `mapstructure:"sigma" json:"sigma"`     // noise standard deviations, in units of x's [-1, 1] range
	Samples int       `mapstructure:"samples" json:"samples"` // noise draws per input
	Alpha   float64   `mapstructure:"alpha" json:"alpha"`     // the certificate fails with probability at most alpha
	Radii   []float64 `mapstructure:"radii" json:"radii"`     // L2 radii certified, in x's units
	// Batch is how many noisy images one forward pass takes; like
	// attack.batch it changes the last bits of the outputs.
	Batch int `mapstructure:"batch" json:"batch"`
}

func (c Certify) validate(p *problems) {
	if len(c.Sigma) == 0 {
		p.add("certify.sigma", "needs at least one noise level")
	}
	for _, s := range c.Sigma {
		if !(s > 0 && s <= 4) {
			p.add("certify.sigma", "every sigma must be in (0, 4], got %g", s)
		}
	}
	if c.Samples < 3 || c.Samples > 1_000_000 {
		p.add("certify.samples", "must be 3 to 1000000 noise draws per input, got %d", c.Samples)
	}
	if !(c.Alpha > 0 && c.Alpha < 1) {
		p.add("certify.alpha", "must be a failure probability in (0, 1), got %g", c.Alpha)
	}
	if len(c.Radii) == 0 {
		p.add("certify.radii", "needs at least one radius")
	}
	for _, r := range c.Radii {
		if !(r >= 0 && r <= 100) {
			p.add("certify.radii", "every radius must be in [0, 100], got %g", r)
		}
	}
	if !slices.IsSorted(c.Radii) {
		p.add("certify.radii", "must be increasing, got %v", c.Radii)
	}
	p.positive("certify.batch", c.Batch)
}
