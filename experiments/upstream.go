package experiments

import (
	"fmt"
	"math"
	"os"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/data/acdc"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/tfrun"
	"github.com/segqa/segqa/harness/train"
)

// upstream hands a stage the typed results of the stages it reads: the
// prepared slices, the pools, and the trained networks as handles that
// open them. Each is read from its stage's folder once, or kept from the
// stage that made it in this invocation. It holds no config: a network's
// handle is built from settings the reading stage passes in, which its own
// settings struct holds, so that what a stage reads is what its key covers.
type upstream struct {
	stages  map[results.StageName]*run.Stage
	session tfrun.Options

	prep  *Prepared
	pools map[results.Split]*Pool
}

func newUpstream(stages map[results.StageName]*run.Stage, session tfrun.Options) *upstream {
	return &upstream{stages: stages, session: session, pools: map[results.Split]*Pool{}}
}

// storeUpstream reads the stages keyed as keys gives them in store.
func storeUpstream(keys map[results.StageName]string, store string, session tfrun.Options) *upstream {
	folders := map[results.StageName]*run.Stage{}
	for name, key := range keys {
		folders[name] = run.NewStageAt(store, string(name), key)
	}
	return newUpstream(folders, session)
}

// prepared is the data stage's output, at the size its slices have (the
// data stage's key covers data.size).
func (u *upstream) prepared() (*Prepared, error) {
	if u.prep != nil {
		return u.prep, nil
	}
	st := u.stages[results.StageData]
	patients, err := acdc.LoadCache(st.File("slices.bin"), st.Key)
	if err != nil {
		return nil, fmt.Errorf("the data stage's slices: %w", err)
	}
	var split acdc.Split
	if err := run.ReadJSON(st.File("split.json"), &split); err != nil {
		return nil, fmt.Errorf("the data stage's split: %w", err)
	}
	px, err := slicesSize(patients)
	if err != nil {
		return nil, fmt.Errorf("the data stage's slices (%s): %w", st.Path, err)
	}
	u.prep = prepare(patients, split, px)
	return u.prep, nil
}

// slicesSize is the side of the data stage's square slices, which all
// share it.
func slicesSize(patients []acdc.Patient) (int, error) {
	px := -1
	for _, pt := range patients {
		for _, s := range pt.Slices {
			n := int(math.Round(math.Sqrt(float64(len(s.Image)))))
			if n*n != len(s.Image) || (px >= 0 && n != px) {
				return 0, fmt.Errorf("%s %s z=%d: %d pixels, not a square of side %d", pt.ID, s.Frame, s.Z, len(s.Image), px)
			}
			px = n
		}
	}
	if px < 0 {
		return 0, fmt.Errorf("no slices")
	}
	return px, nil
}

// zoo is the zoo stage's output: the predictions of the members of z, the
// zoo as zooOf resolves it.
func (u *upstream) zoo(z config.Zoo) zooOutput {
	return zooOutput{st: u.stages[results.StageZoo], models: zooModels(z)}
}

// pool is one split's pool from the pool stage.
func (u *upstream) pool(split results.Split) (*Pool, error) {
	if p, ok := u.pools[split]; ok {
		return p, nil
	}
	var pool Pool
	masks, err := loadMasks(u.stages[results.StagePool].File(string(split)+".bin"), &pool)
	if err != nil {
		return nil, fmt.Errorf("the %s pool: %w", split, err)
	}
	if len(masks) != len(pool.Slices) {
		return nil, fmt.Errorf("pool %s: %d masks for %d samples", split, len(masks), len(pool.Slices))
	}
	pool.Masks = masks
	u.pools[split] = &pool
	return &pool, nil
}

// regNets are the REG-Nets n describes as the REG-Net stage trained them
// (see newRegNets).
func (u *upstream) regNets(n netSettings) regNets {
	return newRegNets(n, u.stages[results.StageRegNet], u.stages[results.StageRecNet], u.session)
}

// agreement is the agreement baseline's members s describes as the
// agreement stage trained them; members 0 when it is off.
func (u *upstream) agreement(s agreementSettings) agreementMembers {
	if s.Members == 0 {
		return agreementMembers{}
	}
	return agreementMembers{spec: agreementSpec(s.Zoo), members: s.Members, thr: float32(s.Zoo.Threshold), st: u.stages[results.StageAgreement], session: u.session}
}

// recNet is REC-Net: how it is built, how it hides the segmentation, and
// the stage folder holding its checkpoints.
type recNet struct {
	spec    graphs.UNetSpec
	masking config.Masking
	st      *run.Stage
}

func newRecNet(r config.RecNet, st *run.Stage) recNet {
	return recNet{spec: recSpec(r), masking: r.Masking, st: st}
}

// recSpec is REC-Net's architecture.
func recSpec(r config.RecNet) graphs.UNetSpec {
	return graphs.UNetSpec{Depth: r.Depth, Filters: int64(r.Filters), Out: 1, Init: graphs.InitScheme(r.Init), Precision: precision(r.Precision)}
}

// best is REC-Net's best checkpoint.
func (r recNet) best() string { return train.BestDir(r.st.File("train")) }

// mask applies the masking convention: the paper zeroes the target
// (x * (1 - s)); the ablation zeroes the background (x * s).
func (r recNet) mask(x []float32, s []float32) []float32 { return maskImage(r.masking, x, s) }

func maskImage(masking config.Masking, x, s []float32) []float32 {
	out := make([]float32, len(x))
	keepTarget := masking == config.MaskBackground
	for i := range x {
		if (s[i] != 0) == keepTarget {
			out[i] = x[i]
		}
	}
	return out
}

// regNets are the REG-Nets of the REG-Net stage: their settings, REC-Net
// that the (d, s) networks contain, and the stage folder.
type regNets struct {
	set        regnetSettings
	checkpoint config.Checkpoint // the weights open restores
	rec        recNet
	st         *run.Stage
	session    tfrun.Options
}

// spec is the REG-Nets' architecture.
func (r regNets) spec() graphs.RegNetSpec { return regSpec(r.set.RegNet) }

func regSpec(r config.RegNet) graphs.RegNetSpec {
	dense := make([]int64, len(r.Dense))
	for i, d := range r.Dense {
		dense[i] = int64(d)
	}
	spec := graphs.RegNetSpec{Blocks: r.Blocks, Filters: int64(r.Filters), Dense: dense, Dropout: float32(r.Dropout), Init: graphs.InitScheme(r.Init), Precision: precision(r.Precision)}
	if r.Adversarial == config.AdvTRADES {
		spec.TradesBeta = float32(r.TradesBeta)
	}
	return spec
}

// trained says whether the stage holds a trained network for input.
func (r regNets) trained(in results.Input) bool {
	_, err := os.Stat(r.st.File("models", string(in), "done.json"))
	return err == nil
}

// model builds the REG-Net of one input kind in s. Every kind gets the
// same seed, so the regressors start alike where their shapes agree. Its
// last input is the segmentation s and, but for InputS, its first the
// image x (see pairFeeds).
func (r regNets) model(s *op.Scope, input results.Input, px int) (*graphs.Model, error) {
	loss := graphs.Loss(r.set.RegNet.Loss)
	seed := graphSeed(streamSeed(r.set.Seed, results.StageRegNet))
	opt := graphs.Adam{Epsilon: float32(r.set.RegNet.AdamEps)}
	switch input {
	case results.InputXS:
		return graphs.Regressor(s, r.spec(), int64(px), []string{"image", "seg"}, loss, seed, opt), nil
	case results.InputS:
		// No image input at all: what it predicts cannot depend on x. It
		// trains clean, so never on TRADES's loss, whose second half of a
		// batch is the first half's adversarial examples: on a clean batch
		// that term pulls unrelated samples' predictions together.
		spec := r.spec()
		spec.TradesBeta = 0
		return graphs.Regressor(s, spec, int64(px), []string{"seg"}, loss, seed, opt), nil
	case results.InputDS, results.InputXDS:
		scale, err := r.dScale()
		if err != nil {
			return nil, err
		}
		o := graphs.DiffOptions{WithImage: input == results.InputXDS, MaskBackground: r.rec.masking == config.MaskBackground, DScale: scale}
		return graphs.DiffRegressor(s, r.rec.spec, r.spec(), int64(px), o, loss, seed, opt), nil
	}
	return nil, fmt.Errorf("regnet.inputs: unknown input %q", input)
}

// open builds the REG-Net of input, opens a session and restores the
// checkpoint regnet.checkpoint names (its best or its last epoch);
// closeFn closes the session.
func (r regNets) open(input results.Input, px int) (m *graphs.Model, sess *tf.Session, closeFn func(), err error) {
	if !r.trained(input) {
		return nil, nil, nil, fmt.Errorf("REG-Net %s: the REG-Net stage (%s) has not trained it; add %s to regnet.inputs", input, r.st.Path, input)
	}
	s := op.NewScope()
	if m, err = r.model(s, input, px); err != nil {
		return nil, nil, nil, fmt.Errorf("REG-Net %s: %w", input, err)
	}
	if sess, err = tfrun.Open(s, r.session); err != nil {
		return nil, nil, nil, fmt.Errorf("REG-Net %s: %w", input, err)
	}
	models := r.st.File("models", string(input))
	dir := train.BestDir(models)
	if r.checkpoint == config.CheckpointLast {
		dir = train.LastDir(models)
	}
	if err := tfrun.Restore(sess, m.Saver, dir); err != nil {
		sess.Close()
		return nil, nil, nil, fmt.Errorf("REG-Net %s: restore its %s checkpoint: %w", input, r.checkpoint, err)
	}
	return m, sess, func() { sess.Close() }, nil
}

// newRegNets is the one constructor of the trained REG-Nets, for the
// REG-Net stage that trains them and for every reader (Tables 1 and 2,
// certify, segqa score): n says how they were built and which checkpoint
// open restores, regnet is the REG-Net stage's folder, recnet the REC-Net
// stage's (nil for a reader: the (d, s) networks restore REC-Net from
// their own checkpoints), and session how their sessions run.
func newRegNets(n netSettings, regnet, recnet *run.Stage, session tfrun.Options) regNets {
	return regNets{set: n.RegNet, checkpoint: n.Checkpoint, rec: newRecNet(n.RegNet.RecNet, recnet), st: regnet, session: session}
}

// OpenRegNet builds the REG-Net of input for px × px images as cfg
// describes it, opens a session with o and restores the checkpoint of
// regnet, the REG-Net stage, that regnet.checkpoint names; closeFn closes
// the session.
func OpenRegNet(cfg config.Config, regnet *run.Stage, o tfrun.Options, input results.Input, px int) (m *graphs.Model, sess *tf.Session, closeFn func(), err error) {
	return regNetsOf(cfg, regnet, o).open(input, px)
}

// regNetsOf are the REG-Nets of cfg in regnet, the REG-Net stage, as the
// tables and certify read them (netsOf): opened at the checkpoint
// regnet.checkpoint names, the one the run's tables (and the conformal
// intervals Table 1 calibrated) used.
func regNetsOf(cfg config.Config, regnet *run.Stage, o tfrun.Options) regNets {
	return newRegNets(netsOf(cfg), regnet, nil, o)
}
