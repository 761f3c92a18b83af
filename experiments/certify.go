package experiments

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/shared/stats"
	"github.com/segqa/segqa/harness/tfrun"
)

// certifiedInputs are the networks the certify stage smooths: the baseline
// on x, and the proposed pipeline end to end (noise on x, then REC-Net, d
// and the (d, s) REG-Net, all in its graph).
var certifiedInputs = []results.Input{results.InputXS, results.InputDS}

// CertifiedInputs are the REG-Net inputs that the certify stage smooths.
func CertifiedInputs() []results.Input { return slices.Clone(certifiedInputs) }

// certify smooths each method's REG-Net with Gaussian noise on x at every
// certify.sigma and certifies its median at every certify.radii (see
// stats.SmoothingIndices). It writes results/certified.json; when
// certify.enabled is false it writes nothing.
func runCertify(ctx context.Context, w *worker, set certifySettings, up *upstream) error {
	c := set.Certify
	if !c.Enabled {
		w.logf("certify: certify.enabled is false, nothing to do\n")
		return nil
	}
	ev, err := newEvaluation(w, up, qcSettings{FailBelow: set.FailBelow}, set.Nets, agreementSettings{})
	if err != nil {
		return err
	}
	for _, in := range certifiedInputs {
		if !ev.nets.trained(in) {
			return fmt.Errorf("regnet.inputs has no %s: certify smooths xs and ds, add both", in)
		}
	}
	test, err := ev.test()
	if err != nil {
		return err
	}
	t := results.Certified{Samples: c.Samples, Alpha: c.Alpha, FailBelow: set.FailBelow, NoiseSigma: ev.nets.set.RegNet.NoiseSigma}
	byInput := map[results.Input][][]certifiedSample{}
	for _, in := range certifiedInputs {
		rows, speed, err := ev.certifyInput(ctx, in, test, c, set.Seed)
		if err != nil {
			return err
		}
		byInput[in] = rows
		t.Throughput = append(t.Throughput, speed)
		w.logf("certify %s: %d noisy forward passes in %.1f s, %.0f images/s\n", in, speed.ForwardPasses, speed.Seconds, speed.ImagesPerSec)
	}
	for _, in := range certifiedInputs {
		for k, sigma := range c.Sigma {
			for _, r := range c.Radii {
				t.Rows = append(t.Rows, certifiedRow(in, sigma, r, byInput[in][k], test.Dice, c.Alpha, set.FailBelow))
			}
		}
	}
	if err := w.writeTable(results.CertifiedFile, t); err != nil {
		return err
	}
	return w.figure("certified_decisions.png", certifiedFigure(t))
}

// certifiedSample is one test sample's noisy outputs at one σ, sorted.
type certifiedSample []float64

// certifyInput runs input's REG-Net on certify.samples noisy copies of
// every test sample at every σ: [σ][sample] sorted outputs, and the speed.
func (ev *evaluation) certifyInput(ctx context.Context, in results.Input, test *Pool, c config.Certify, seed uint64) ([][]certifiedSample, results.CertifiedSpeed, error) {
	prep := ev.prep
	m, sess, closeFn, err := ev.nets.open(in, prep.Px)
	if err != nil {
		return nil, results.CertifiedSpeed{}, err
	}
	defer closeFn()
	sm := smoother{sess: sess, m: m, px: prep.Px, batch: c.Batch}
	pair := poolPair(prep, test)
	xs, ss := make([][]float32, test.Len()), make([][]float32, test.Len())
	for i := range xs {
		img, mask := pair(i)
		xs[i], ss[i] = img, toFloat(mask)
	}
	out := make([][]certifiedSample, len(c.Sigma))
	if err := sm.warmUp(xs[0], ss[0], min(c.Batch, test.Len()*c.Samples)); err != nil {
		return nil, results.CertifiedSpeed{}, fmt.Errorf("certify %s: %w", in, err)
	}
	start := time.Now()
	bar := newBar(ev.w.progress, "certify "+string(in), len(c.Sigma)*test.Len(), "sample")
	for k, sigma := range c.Sigma {
		// Both methods draw the same noise at a σ: their certificates are
		// paired, as their attacks are in Table 2.
		rng := rand.New(rand.NewPCG(streamSeed(seed, results.StageCertify, "sigma"+strconv.FormatFloat(sigma, 'g', -1, 64)), 0))
		ys, err := sm.outputs(ctx, xs, ss, c.Samples, sigma, rng, func(n int) { bar.Add(n, "") })
		if err != nil {
			return nil, results.CertifiedSpeed{}, fmt.Errorf("certify %s at σ %g: %w", in, sigma, err)
		}
		out[k] = make([]certifiedSample, len(ys))
		for i, y := range ys {
			slices.Sort(y)
			out[k][i] = y
		}
	}
	bar.Done("")
	sec := time.Since(start).Seconds()
	passes := len(c.Sigma) * test.Len() * c.Samples
	return out, results.CertifiedSpeed{Input: in, ImagesPerSec: float64(passes) / sec, ForwardPasses: passes, Seconds: sec, ImagesPerBatch: c.Batch}, nil
}

// certifiedRow summarises the certificates of one method at one σ and
// radius over the test pool.
func certifiedRow(in results.Input, sigma, r float64, samples []certifiedSample, dice []float64, alpha, failBelow float64) results.CertifiedRow {
	row := results.CertifiedRow{Input: in, Method: in.Name(), Sigma: sigma, Radius: r, N: len(samples)}
	var absErr, bound, width float64
	decided, correct, abstained := 0, 0, 0
	draws := 0 // every sample has certify.samples outputs: the ranks are computed once
	if len(samples) > 0 {
		draws = len(samples[0])
	}
	lo, hi, ok := stats.SmoothingIndices(draws, sigma, r, alpha)
	for i, ys := range samples {
		cert := stats.CertifySorted(ys, lo, hi, ok)
		absErr += math.Abs(cert.Median - dice[i])
		if cert.Abstain {
			abstained++
			continue
		}
		bound += cert.ErrorBound(dice[i])
		width += cert.Hi - cert.Lo
		if cert.DecisionCertified(failBelow) {
			decided++
			if (cert.Lo >= failBelow) == (dice[i] >= failBelow) {
				correct++
			}
		}
	}
	n, certified := float64(len(samples)), float64(len(samples)-abstained)
	row.SmoothedMAE = results.Number(absErr / n)
	row.ErrorBound, row.Width = results.Number(bound/certified), results.Number(width/certified) // NaN when all abstain
	row.Decisions = results.Number(float64(decided) / n)
	row.CorrectDecisions = results.Number(float64(correct) / n)
	row.Abstain = results.Number(float64(abstained) / n)
	return row
}

// smoother runs one REG-Net on noisy copies of its inputs, batch images
// per forward pass. The noise is added to x unclipped: smoothing's
// guarantee is for the Gaussian, whatever range x has.
type smoother struct {
	sess  *tf.Session
	m     *graphs.Model
	px    int
	batch int
}

// warmUp runs one forward pass of n copies of (x, s), untimed and
// unused: TensorFlow optimises the graph and oneDNN builds its kernels on
// the first pass of a shape, which the throughput should not count.
func (sm smoother) warmUp(x, s []float32, n int) error {
	xs, ss := make([]float32, 0, n*len(x)), make([]float32, 0, n*len(s))
	for range n {
		xs, ss = append(xs, x...), append(ss, s...)
	}
	_, err := sm.sess.Run(map[tf.Output]*tf.Tensor{sm.m.Inputs[0]: images(xs, n, sm.px), sm.m.Inputs[1]: images(ss, n, sm.px)}, []tf.Output{sm.m.Output}, nil)
	return err
}

// noisyChunk is one forward pass's input: the noisy images and their
// segmentations, for draws first..first+len−1 of the flattened
// (sample, draw) order.
type noisyChunk struct {
	x, s  []float32
	first int
}

// outputs returns n outputs of the network for each sample (xs[i], ss[i]),
// on xs[i] + σ·ε with ε drawn from rng sample by sample, draw by draw, so
// that the noise does not depend on the batch size. The noise of the next
// forward pass is drawn while TensorFlow runs the current one; done is
// told how many samples each pass finished.
func (sm smoother) outputs(ctx context.Context, xs, ss [][]float32, n int, sigma float64, rng *rand.Rand, done func(int)) ([][]float64, error) {
	npx := sm.px * sm.px
	total := len(xs) * n
	chunks := make(chan noisyChunk, 1)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(chunks)
		for first := 0; first < total; first += sm.batch {
			size := min(sm.batch, total-first)
			ch := noisyChunk{x: make([]float32, size*npx), s: make([]float32, 0, size*npx), first: first}
			for j := range size {
				i := (first + j) / n
				x := ch.x[j*npx : (j+1)*npx]
				for q, v := range xs[i] {
					x[q] = v + float32(sigma*rng.NormFloat64())
				}
				ch.s = append(ch.s, ss[i]...)
			}
			select {
			case chunks <- ch:
			case <-stop:
				return
			}
		}
	}()
	ys := make([][]float64, len(xs))
	for i := range ys {
		ys[i] = make([]float64, 0, n)
	}
	for ch := range chunks {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		size := len(ch.x) / npx
		res, err := sm.sess.Run(map[tf.Output]*tf.Tensor{
			sm.m.Inputs[0]: images(ch.x, size, sm.px), sm.m.Inputs[1]: images(ch.s, size, sm.px),
		}, []tf.Output{sm.m.Output}, nil)
		if err != nil {
			return nil, err
		}
		before := ch.first / n
		for j, v := range tfrun.Floats(res[0]) {
			i := (ch.first + j) / n
			ys[i] = append(ys[i], float64(v))
		}
		if done != nil {
			done((ch.first+size)/n - before)
		}
	}
	return ys, nil
}

// SmoothedOutputs runs m, a REG-Net open in sess, as the certify stage
// does: n outputs for each image xs[i] (px × px) with segmentation ss[i],
// on xs[i] plus Gaussian noise of standard deviation sigma drawn from rng,
// batch images per forward pass.
func SmoothedOutputs(ctx context.Context, sess *tf.Session, m *graphs.Model, px, batch int, xs, ss [][]float32, n int, sigma float64, rng *rand.Rand) ([][]float64, error) {
	return smoother{sess: sess, m: m, px: px, batch: batch}.outputs(ctx, xs, ss, n, sigma, rng, nil)
}

// certifiedFigure plots the share of certified pass/fail decisions against
// the radius, one curve per method and σ.
func certifiedFigure(t results.Certified) results.Curves {
	var series []results.Series
	for _, in := range certifiedInputs {
		var sigmas []float64
		for _, r := range t.Rows {
			if r.Input == in && !slices.Contains(sigmas, r.Sigma) {
				sigmas = append(sigmas, r.Sigma)
			}
		}
		for _, sigma := range sigmas {
			s := results.Series{Name: fmt.Sprintf("%s, σ = %g", in.Name(), sigma)}
			for _, r := range t.Rows {
				if r.Input == in && r.Sigma == sigma {
					s.X, s.Y = append(s.X, r.Radius), append(s.Y, float64(r.Decisions))
				}
			}
			series = append(series, s)
		}
	}
	title := fmt.Sprintf("Certified pass/fail decisions at Dice %g (%d draws, α = %g)", t.FailBelow, t.Samples, t.Alpha)
	return results.Curves{Series: series, XLabel: "L2 radius r (x in [-1, 1])", YLabel: "share of test samples certified", Title: title}
}
