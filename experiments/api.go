package experiments

import (
	"context"
	"image/color"
	"math/rand/v2"
	"slices"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/data/acdc"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/tfrun"
)

// This file is what the packages beside the pipeline (experiments/score)
// use of its internals: plain functions of explicit arguments, each a thin
// wrapper of a stage's helper, so that the networks and
// constants a trained run is scored with are built exactly as its stages
// built them.

// ResolvePrecisions is cfg with runtime.precision and each network's
// precision set to what this machine computes in with o; note explains a
// fallback in one line, empty otherwise.
func ResolvePrecisions(cfg config.Config, o tfrun.Options) (resolved config.Config, note string) {
	return resolvePrecisions(cfg, o)
}

// DataOptions are the preprocessing options of the data settings d, which
// the data stage prepares its slices with.
func DataOptions(d config.Data) acdc.Options { return dataOptions(d) }

// OpenRegNet builds the REG-Net of input for px × px images as cfg
// describes it, opens a session with o and restores the checkpoint of
// regnet, the REG-Net stage, that regnet.checkpoint names; closeFn closes
// the session.
func OpenRegNet(cfg config.Config, regnet *run.Stage, o tfrun.Options, input results.Input, px int) (m *graphs.Model, sess *tf.Session, closeFn func(), err error) {
	return regNetsOf(cfg, regnet, o).open(input, px)
}

// ReadDScale is what the (d, s) networks of cfg divide d by: 0 (d as it
// is) when regnet.d_scale is raw, else the constant that regnet, the
// REG-Net stage, stored.
func ReadDScale(cfg config.Config, regnet *run.Stage) (float32, error) {
	return regNetsOf(cfg, regnet, tfrun.Options{}).dScale()
}

// regNetsOf are the REG-Nets of cfg in regnet, the REG-Net stage, opened
// at the checkpoint regnet.checkpoint names, the one the run's tables (and
// the conformal intervals Table 1 calibrated) used; REC-Net, which the
// (d, s) networks hold, is restored from their own checkpoints.
func regNetsOf(cfg config.Config, regnet *run.Stage, o tfrun.Options) regNets {
	return regNets{set: regnetOf(cfg, ""), checkpoint: cfg.RegNet.Checkpoint, rec: newRecNet(recnetOf(cfg, "").RecNet, nil), st: regnet, session: o}
}

// StreamSeed is the seed of the random stream of stage, or of its part,
// under cfg.Seed (see streamSeed).
func StreamSeed(cfg config.Config, stage results.Stage, part ...string) uint64 {
	return streamSeed(cfg.Seed, stage, part...)
}

// CertifiedInputs are the REG-Net inputs that the certify stage smooths.
func CertifiedInputs() []results.Input { return slices.Clone(certifiedInputs) }

// SmoothedOutputs runs m, a REG-Net open in sess, as the certify stage
// does: n outputs for each image xs[i] (px × px) with segmentation ss[i],
// on xs[i] plus Gaussian noise of standard deviation sigma drawn from rng,
// batch images per forward pass.
func SmoothedOutputs(ctx context.Context, sess *tf.Session, m *graphs.Model, px, batch int, xs, ss [][]float32, n int, sigma float64, rng *rand.Rand) ([][]float64, error) {
	return smoother{sess: sess, m: m, px: px, batch: batch}.outputs(ctx, xs, ss, n, sigma, rng, nil)
}

// RegNetFeeds feeds m, a REG-Net OpenRegNet opened, n images xs and their
// segmentations ss (px × px each), as its input kind takes them: the
// network on s alone is fed ss only.
func RegNetFeeds(m *graphs.Model, xs, ss []float32, n, px int) map[tf.Output]*tf.Tensor {
	return pairFeeds(m, xs, ss, n, px)
}

// SegmentationColor is the colour the figures outline a candidate
// segmentation in.
func SegmentationColor() color.RGBA { return segColor }

// Draw writes f to path as a PNG, if there is a figure renderer.
func (r Renderers) Draw(path string, f results.Figure) error { return r.draw(path, f) }
