package experiments

import (
	"context"
	"fmt"
	"slices"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/tfrun"
)

// A stage is a function of its settings and of its upstream stages' typed
// results. Each stage's settings are a struct of its own, made from the
// config by one function; the stage table below (stageDefs) binds each
// stage name to that function and to the stage's run function, and the
// stage's key hashes what the same function returns (through its covers
// method), so a stage can read no setting its key does not cover. The
// upstream results hold no config: what a stage reads of an upstream stage
// (how the zoo, REC-Net or the REG-Nets were built) is a field of its own
// settings that its covers leaves out, because the key of that stage, which
// this one is keyed on, covers it; TestStagesReadOnlyWhatTheirKeysCover
// checks both halves. runtime.* and report.* reach a stage through its
// worker: they decide how it runs and what it draws, never what it
// computes.

// dataSettings are what the data stage reads. segqa's version is part of
// the first key, so a new release never reuses an older one's outputs.
type dataSettings struct {
	Version     string
	Seed        uint64
	Data        config.Data
	Fingerprint string // of the files under data.root (see Fingerprint)
}

func (s dataSettings) covers() []any { return []any{s.Version, s.Seed, s.Data, s.Fingerprint} }

// zooSettings are what the zoo reads: zoo.*, its precision resolved.
type zooSettings struct {
	Seed uint64
	Zoo  config.Zoo
}

func (s zooSettings) covers() []any {
	zoo := s.Zoo
	zoo.Precision = "" // keyed on as resolved: zoo.precision=float32 is runtime.precision=float32
	return []any{s.Seed, zoo, s.Zoo.Precision}
}

// poolSettings are pool.* and the zoo whose predictions the pool draws
// from; the zoo enters the pool's key through the zoo stage's key.
type poolSettings struct {
	Seed uint64
	Pool config.Pool
	Zoo  config.Zoo // as zooOf resolves it; not covered: the zoo's key covers it
}

func (s poolSettings) covers() []any { return []any{s.Seed, s.Pool} }

// agreementSettings are the agreement baseline's members: the zoo's
// training settings and eval.agreement_*.
type agreementSettings struct {
	Seed                      uint64
	Zoo                       config.Zoo
	Members, Epochs, Patience int
}

func (s agreementSettings) covers() []any {
	zoo := s.Zoo
	zoo.Precision = ""
	return []any{s.Seed, zoo, s.Zoo.Precision, s.Members, s.Epochs, s.Patience}
}

type recnetSettings struct {
	Seed   uint64
	RecNet config.RecNet
}

func (s recnetSettings) covers() []any {
	rec := s.RecNet
	rec.Precision = ""
	return []any{s.Seed, rec, s.RecNet.Precision}
}

// regnetSettings are regnet.* and REC-Net, which the (d, s) networks
// contain; REC-Net enters the key through the REC-Net stage's key.
type regnetSettings struct {
	Seed   uint64
	RegNet config.RegNet
	RecNet config.RecNet // as recnetOf resolves it; not covered: the REC-Net stage's key covers it
}

func (s regnetSettings) covers() []any {
	reg := s.RegNet
	// Each input kind trains in its own folder inside the stage: a run
	// asking for another kind finishes it in the same stage (see
	// regnetComplete), and the tables' keys cover regnet.inputs.
	reg.Inputs = nil
	reg.Precision = ""
	if reg.DScale == config.DScaleRaw {
		reg.DScale = "" // the default before d_scale existed: older stages stay valid
	}
	return []any{s.Seed, reg, s.RegNet.Precision}
}

// netSettings are what a stage that opens the trained REG-Nets reads of
// them: how the REG-Net stage built them (which its key covers) and the
// checkpoint it restores (which the opening stage's key covers).
type netSettings struct {
	RegNet     regnetSettings
	Checkpoint config.Checkpoint
}

// covers is what a key of a stage that opens the REG-Nets adds for them:
// the REG-Net stage's key, which it is keyed on, covers how they were
// built, and checkpointCovers the choice of weights.
func (s netSettings) covers() []any { return checkpointCovers(s.Checkpoint) }

// table1Settings: the REG-Nets Table 1 evaluates, eval.*'s thresholds and
// conformal settings, and the seed of the derangement its
// input-sensitivity check and of the bootstrap its coverage intervals
// draw. The agreement baseline's members enter through the agreement
// stage's key.
type table1Settings struct {
	Seed             uint64
	Inputs           []results.Input
	Nets             netSettings
	Agreement        agreementSettings // not covered: the agreement stage's key covers it
	FailBelow, Alpha float64
	Conformal        config.ConformalMethod
	Groups           bool // eval.conformal_groups
	Band             []float64
	SensitivityMin   float64
}

func (s table1Settings) covers() []any {
	return append(append([]any{s.Seed, s.Inputs, s.FailBelow, s.Alpha, s.SensitivityMin}, s.Nets.covers()...),
		conformalCovers(s.Conformal, s.Groups, s.Band)...)
}

// qc is what Table 1 judges its predictions by.
func (s table1Settings) qc() qcSettings {
	return qcSettings{FailBelow: s.FailBelow, Alpha: s.Alpha, Conformal: s.Conformal, Groups: s.Groups, Band: s.Band, Seed: s.Seed, Stage: results.StageTable1}
}

// checkpointCovers is what a key of a stage that opens the REG-Nets adds
// for regnet.checkpoint: nothing for best, the default, so that stages
// from before the setting stay valid.
func checkpointCovers(c config.Checkpoint) []any {
	if c == config.CheckpointBest {
		return nil
	}
	return []any{c}
}

// table2Settings: attack.*, eval.*'s thresholds and conformal settings,
// and the tie's margin.
type table2Settings struct {
	Seed             uint64
	Attack           config.Attack
	Nets             netSettings
	Agreement        agreementSettings // not covered: the agreement stage's key covers it
	FailBelow, Alpha float64
	Conformal        config.ConformalMethod
	Groups           bool // eval.conformal_groups
	Band             []float64
	TieMargin        float64
	// Segmentation: regnet.inputs has s, and Table 2 shows the network on
	// s alone beside the attacked ones.
	Segmentation bool
}

func (s table2Settings) covers() []any {
	return append(append(append(append([]any{s.Seed, s.Attack, s.FailBelow, s.Alpha}, tieMarginCovers(s.TieMargin)...), s.Nets.covers()...),
		segmentationCovers(s.Segmentation)...), conformalCovers(s.Conformal, s.Groups, s.Band)...)
}

// qc is what Table 2 judges its predictions by.
func (s table2Settings) qc() qcSettings {
	return qcSettings{FailBelow: s.FailBelow, Alpha: s.Alpha, Conformal: s.Conformal, Groups: s.Groups, Band: s.Band, Seed: s.Seed, Stage: results.StageTable2}
}

// segmentationCovers is what Table 2's key adds for its row of the network
// on s alone: nothing without it, so that stages from before s stay valid.
func segmentationCovers(on bool) []any {
	if !on {
		return nil
	}
	return []any{"segmentation alone"}
}

// tieMarginCovers is what Table 2's key adds for eval.tie_margin: nothing
// for the default, so that stages from before the setting stay valid
// (their results/table2.json has no per-sample predictions, and its tie
// keeps its recorded Wilcoxon p).
func tieMarginCovers(m float64) []any {
	if m == results.DefaultTieMargin {
		return nil
	}
	return []any{m}
}

type certifySettings struct {
	Seed      uint64
	Certify   config.Certify
	Nets      netSettings
	FailBelow float64
}

func (s certifySettings) covers() []any {
	return append([]any{s.Seed, s.Certify, s.FailBelow}, s.Nets.covers()...)
}

// The settings functions: what each stage reads of a config.
func dataOf(c config.Config, fingerprint string) dataSettings {
	return dataSettings{Version: run.Version, Seed: c.Seed, Data: c.Data, Fingerprint: fingerprint}
}

func zooOf(c config.Config, _ string) zooSettings {
	z := c.Zoo
	z.Precision = c.Zoo.Precision.Or(c.Runtime.Precision)
	return zooSettings{Seed: c.Seed, Zoo: z}
}

// poolOf: pool.calib and pool.calib_like_test count only with calibration patients, so that a
// config that names it without them keys its pool as one that does not.
func poolOf(c config.Config, _ string) poolSettings {
	p := c.Pool
	if c.Data.CalibPatients == 0 {
		p.Calib, p.CalibLikeTest = 0, false
	}
	return poolSettings{Seed: c.Seed, Pool: p, Zoo: zooOf(c, "").Zoo}
}

func agreementOf(c config.Config, fp string) agreementSettings {
	e := c.Eval
	return agreementSettings{Seed: c.Seed, Zoo: zooOf(c, fp).Zoo, Members: e.AgreementMembers, Epochs: e.AgreementEpochs, Patience: e.AgreementPatience}
}

func recnetOf(c config.Config, _ string) recnetSettings {
	r := c.RecNet
	r.Precision = c.RecNet.Precision.Or(c.Runtime.Precision)
	return recnetSettings{Seed: c.Seed, RecNet: r}
}

func regnetOf(c config.Config, _ string) regnetSettings {
	r := c.RegNet
	r.Precision = c.RegNet.Precision.Or(c.Runtime.Precision)
	// Training saves both checkpoints; the stages that open the REG-Nets
	// choose one, and their keys cover the choice.
	r.Checkpoint = ""
	return regnetSettings{Seed: c.Seed, RegNet: r, RecNet: recnetOf(c, "").RecNet}
}

// netsOf is the trained REG-Nets as the stages that open them read them:
// which input kinds the REG-Net stage holds is read from its folder
// (regNets.trained), not from regnet.inputs, which its key does not cover.
func netsOf(c config.Config) netSettings {
	r := regnetOf(c, "")
	r.RegNet.Inputs = nil
	return netSettings{RegNet: r, Checkpoint: c.RegNet.Checkpoint}
}

func table1Of(c config.Config, _ string) table1Settings {
	e := c.Eval
	return table1Settings{Seed: c.Seed, Inputs: c.RegNet.Inputs, Nets: netsOf(c), Agreement: agreementOf(c, ""), FailBelow: e.FailBelow, Alpha: e.Alpha,
		Conformal: e.Conformal, Groups: e.ConformalGroups, Band: e.Band, SensitivityMin: e.SensitivityMin}
}

func table2Of(c config.Config, _ string) table2Settings {
	e := c.Eval
	return table2Settings{Seed: c.Seed, Attack: c.Attack, Nets: netsOf(c), Agreement: agreementOf(c, ""), FailBelow: e.FailBelow, Alpha: e.Alpha,
		Conformal: e.Conformal, Groups: e.ConformalGroups, Band: e.Band,
		TieMargin: e.TieMargin, Segmentation: slices.Contains(c.RegNet.Inputs, results.InputS)}
}

func certifyOf(c config.Config, _ string) certifySettings {
	return certifySettings{Seed: c.Seed, Certify: c.Certify, Nets: netsOf(c), FailBelow: c.Eval.FailBelow}
}

// stageDef defines one stage of the pipeline, once: everything else
// (Stages, Keys, the stages a stage needs, the functions that run them)
// derives from stageDefs. Run turns each into a runner.Step on the
// stage's folder in the store (a run.Stage); all three are keyed by the
// stage's results.StageName.
type stageDef struct {
	name results.StageName
	// reads lists the stages whose outputs the stage reads.
	reads func(config.Config) []results.StageName
	// keyOn lists the stages whose keys enter this stage's key (they cover
	// everything upstream of them); the stage's own settings follow them.
	keyOn func(config.Config) []results.StageName
	// settings is the stage's settings for a config, as its key covers
	// them; run runs the stage with the settings the same function made.
	settings func(c config.Config, fingerprint string) keyed
	run      func(ctx context.Context, w *worker, c config.Config, fingerprint string, up *upstream) error
	// complete, when set, says whether a finished stage holds all that
	// the config asks of it.
	complete func(c config.Config, up *upstream) bool
}

// keyed is a stage's settings: covers lists what enters its key.
type keyed interface{ covers() []any }

// bind makes the stage name from its settings function and its run
// function: the one place where a stage's settings are made, for its key
// and for its run alike.
func bind[S keyed](name results.StageName, reads, keyOn func(config.Config) []results.StageName, settings func(config.Config, string) S, runStage func(context.Context, *worker, S, *upstream) error) stageDef {
	return stageDef{
		name: name, reads: reads, keyOn: keyOn,
		settings: func(c config.Config, fp string) keyed { return settings(c, fp) },
		run: func(ctx context.Context, w *worker, c config.Config, fp string, up *upstream) error {
			return runStage(ctx, w, settings(c, fp), up)
		},
	}
}

func stages(names ...results.StageName) func(config.Config) []results.StageName {
	return func(config.Config) []results.StageName { return names }
}

// recnetReads is where REC-Net's training images come from: the data
// stage's ground truth alone (the paper), or the pool as well.
func recnetReads(c config.Config) []results.StageName {
	if c.RecNet.TrainOn == config.TrainOnGT {
		return []results.StageName{results.StageData}
	}
	return []results.StageName{results.StageData, results.StagePool}
}

// agreementReads is what the tables read of the agreement stage: nothing
// when the baseline is off.
func agreementReads(c config.Config) []results.StageName {
	if c.Eval.AgreementMembers == 0 {
		return nil
	}
	return []results.StageName{results.StageAgreement}
}

// tableReads is what Tables 1 and 2 read: the REG-Nets and what they were
// trained on, and the agreement baseline's members when it is on.
func tableReads(c config.Config) []results.StageName {
	return append([]results.StageName{results.StageData, results.StagePool, results.StageRecNet, results.StageRegNet}, agreementReads(c)...)
}

// tableKeyOn is the stages whose keys enter the tables' keys.
func tableKeyOn(c config.Config) []results.StageName {
	return append([]results.StageName{results.StageRegNet}, agreementReads(c)...)
}

// stageDefs lists the stages in the order they run.
var stageDefs = []stageDef{
	bind(results.StageData, stages(), stages(), dataOf, runData),
	bind(results.StageZoo, stages(results.StageData), stages(results.StageData), zooOf, runZoo),
	bind(results.StagePool, stages(results.StageData, results.StageZoo), stages(results.StageZoo), poolOf, runPool),
	bind(results.StageAgreement, stages(results.StageData), stages(results.StageData), agreementOf, runAgreement),
	bind(results.StageRecNet, recnetReads, func(c config.Config) []results.StageName { return recnetReads(c)[len(recnetReads(c))-1:] }, recnetOf, runRecNet),
	withComplete(bind(results.StageRegNet, stages(results.StageData, results.StagePool, results.StageRecNet),
		stages(results.StagePool, results.StageRecNet), regnetOf, runRegNet), regnetComplete),
	bind(results.StageTable1, tableReads, tableKeyOn, table1Of, runTable1),
	bind(results.StageTable2, tableReads, tableKeyOn, table2Of, runTable2),
	// Certify reads the REG-Nets alone; fail_below is its decision threshold.
	bind(results.StageCertify, stages(results.StageData, results.StagePool, results.StageRecNet, results.StageRegNet),
		stages(results.StageRegNet), certifyOf, runCertify),
}

func withComplete(s stageDef, complete func(config.Config, *upstream) bool) stageDef {
	s.complete = complete
	return s
}

// regnetComplete: a finished REG-Net stage holds a network for every input
// kind regnet.inputs asks for.
func regnetComplete(c config.Config, up *upstream) bool {
	for _, in := range c.RegNet.Inputs {
		if !up.regNets(netsOf(c)).trained(in) {
			return false
		}
	}
	return true
}

// A stream names a random stream (run.Stream). Each stage has the stream
// of its name (streamSeed); a stream of another name, such as attackStream,
// is no stage's and is not a results.StageName.
type stream string

// seed is the seed of the stream, or of its part, under the run's seed:
// the stream "zoo" with part "unet-d2-f16" is "zoo/unet-d2-f16".
func (s stream) seed(seed uint64, part ...string) uint64 {
	name := string(s)
	for _, p := range part {
		name += "/" + p
	}
	return run.Stream(seed, name)
}

// streamSeed is the seed of a stage's random stream, the stream of the
// stage's name, or of its part (see stream.seed).
func streamSeed(seed uint64, stage results.StageName, part ...string) uint64 {
	return stream(stage).seed(seed, part...)
}

// StreamSeed is the seed of the random stream of stage, or of its part,
// under cfg.Seed (see streamSeed).
func StreamSeed(cfg config.Config, stage results.StageName, part ...string) uint64 {
	return streamSeed(cfg.Seed, stage, part...)
}

// resolvePrecisions sets runtime.precision and each network's precision to
// what this machine computes in: a network's own precision, else
// runtime.precision, with bfloat16 falling back to float32 where the CPU
// lacks it. auto asks for bfloat16 where the CPU has it natively for the
// convolutional networks (the zoo and REC-Net) and float32 for the
// REG-Nets, which bfloat16 costs accuracy (docs/speed.md).
// note explains a fallback in one line, empty otherwise.
func resolvePrecisions(cfg config.Config, o tfrun.Options) (resolved config.Config, note string) {
	resolve := func(p *config.Precision, asked config.Precision) {
		var n string
		if *p, n = tfrun.Precision(asked, o); note == "" {
			note = n
		}
	}
	regnet := cfg.RegNet.Precision.Or(cfg.Runtime.Precision)
	if regnet == config.PrecisionAuto {
		regnet = config.Float32
	}
	resolve(&cfg.Zoo.Precision, cfg.Zoo.Precision.Or(cfg.Runtime.Precision))
	resolve(&cfg.RecNet.Precision, cfg.RecNet.Precision.Or(cfg.Runtime.Precision))
	resolve(&cfg.RegNet.Precision, regnet)
	resolve(&cfg.Runtime.Precision, cfg.Runtime.Precision)
	return cfg, note
}

// ResolvePrecisions is cfg with runtime.precision and each network's
// precision set to what this machine computes in with o; note explains a
// fallback in one line, empty otherwise.
func ResolvePrecisions(cfg config.Config, o tfrun.Options) (resolved config.Config, note string) {
	return resolvePrecisions(cfg, o)
}

// precisions names what the networks compute in, for the manifest:
// "bfloat16", or each network's where they differ.
func precisions(c config.Config) string {
	zoo, rec, reg := c.Zoo.Precision.Or(c.Runtime.Precision), c.RecNet.Precision.Or(c.Runtime.Precision), c.RegNet.Precision.Or(c.Runtime.Precision)
	if zoo == rec && rec == reg {
		return string(zoo)
	}
	return fmt.Sprintf("zoo %s, recnet %s, regnet %s", zoo, rec, reg)
}

// graphSeed is seed as TensorFlow's graph-level seed, which is an int64.
func graphSeed(seed uint64) int64 { return int64(seed >> 1) }

// precision is a network's resolved precision as graphs takes it.
func precision(p config.Precision) graphs.Precision { return graphs.Precision(p) }

// Stages lists the pipeline's stages in the order they run.
var Stages = results.Stages

// stageDefOf is the definition of the stage name.
func stageDefOf(name results.StageName) stageDef {
	for _, s := range stageDefs {
		if s.name == name {
			return s
		}
	}
	panic("experiments: no stage " + string(name))
}

// Keys returns the key of every stage for cfg: a hash of the settings a
// stage depends on and of the keys of the stages it is keyed on.
// dataFingerprint summarises the files of data.root (see Fingerprint), so
// that changed input files are read again.
func Keys(cfg config.Config, dataFingerprint string) map[results.StageName]string {
	k := map[results.StageName]string{}
	for _, s := range stageDefs {
		var deps []any
		for _, up := range s.keyOn(cfg) {
			deps = append(deps, k[up])
		}
		k[s.name] = run.Key(string(s.name), append(deps, s.settings(cfg, dataFingerprint).covers()...)...)
	}
	return k
}
