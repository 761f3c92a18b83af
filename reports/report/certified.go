package report

import (
	"fmt"

	"github.com/segqa/segqa/reports/tables"
)

// certifiedSection shows results/certified.json after Table 2, when the
// run's certify stage was enabled; a run without it has no section.
func (d *runData) certifiedSection(r *Report) {
	t := d.certified
	if t == nil {
		return
	}
	s := r.add("certified", "Certified Dice: randomized smoothing", 2)
	s.para("Each method's prediction smoothed as the median of its outputs under Gaussian noise of σ on x "+
		"(the proposed pipeline end to end: noise on x, then REC-Net, d and the (d, s) REG-Net), from %d draws per test sample; "+
		"REG-Nets trained with noise σ = %g (regnet.noise_sigma). For each L2 radius, the interval holds the smoothed prediction "+
		"of every image within the radius with probability at least %g (Chiang et al. 2020, median smoothing). "+
		"The certified error bound is the mean, over samples that do not abstain, of the larger distance from the true Dice to either bound; "+
		"a decision at Dice %g is certified when the whole interval is on one side; abstentions count as not certified.",
		t.Samples, t.NoiseSigma, 1-t.Alpha, t.FailBelow)
	s.table("", tables.Certified(*t))
	for _, sp := range t.Throughput {
		s.para("%s: %s noisy forward passes in %.1f s, %.0f images/s (batches of %d).",
			sp.Input.Name(), fmt.Sprint(sp.ForwardPasses), sp.Seconds, sp.ImagesPerSec, sp.ImagesPerBatch)
	}
}
