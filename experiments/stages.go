package experiments

import (
	"context"
	"fmt"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/results"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/tfrun"
)

// stageSpec declares one stage of the pipeline, once: everything else
// (Stages, Keys, the stages a stage needs, the functions that run them)
// derives from stageSpecs.
type stageSpec struct {
	name string
	// reads lists the stages whose outputs the stage reads.
	reads func(config.Config) []string
	// keyOn lists the stages whose keys enter this stage's key (they cover
	// everything upstream of them), and covers the settings that do, in
	// this order after those keys; fingerprint summarises data.root.
	keyOn  func(config.Config) []string
	covers func(c config.Config, fingerprint string) []any
	// stream names the stage's random numbers (see pipeline.seed); empty
	// for a stage that draws none.
	stream string
	run    func(*pipeline, context.Context, *run.Stage) error
}

func stages(names ...string) func(config.Config) []string {
	return func(config.Config) []string { return names }
}

// recnetReads is where REC-Net's training images come from: the data
// stage's ground truth alone (the paper), or the pool as well.
func recnetReads(c config.Config) []string {
	if c.RecNet.TrainOn == config.TrainOnGT {
		return []string{results.StageData}
	}
	return []string{results.StageData, results.StagePool}
}

// stageSpecs is set in init: the stages' run functions reach back to it
// through pipeline.seed.
var stageSpecs []stageSpec

func init() {
	stageSpecs = []stageSpec{
		{
			name: results.StageData, reads: stages(), keyOn: stages(),
			// segqa's version is part of the first key, so a new release never
			// reuses an older one's outputs.
			covers: func(c config.Config, fp string) []any { return []any{run.Version, c.Seed, c.Data, fp} },
			stream: "data", run: (*pipeline).data,
		},
		{
			name: results.StageZoo, reads: stages(results.StageData), keyOn: stages(results.StageData),
			covers: func(c config.Config, _ string) []any {
				zoo := c.Zoo
				zoo.Precision = "" // keyed on as resolved: zoo.precision=float32 is runtime.precision=float32
				return []any{c.Seed, zoo, c.Zoo.Precision.Or(c.Runtime.Precision)}
			},
			stream: "zoo", run: (*pipeline).zoo,
		},
		{
			name: results.StagePool, reads: stages(results.StageData, results.StageZoo), keyOn: stages(results.StageZoo),
			covers: func(c config.Config, _ string) []any { return []any{c.Seed, c.Pool} },
			stream: "pool", run: (*pipeline).pool,
		},
		{
			name: results.StageRecNet, reads: recnetReads,
			keyOn: func(c config.Config) []string { return recnetReads(c)[len(recnetReads(c))-1:] },
			covers: func(c config.Config, _ string) []any {
				rec := c.RecNet
				rec.Precision = ""
				return []any{c.Seed, rec, c.RecNet.Precision.Or(c.Runtime.Precision)}
			},
			stream: "recnet", run: (*pipeline).recnet,
		},
		{
			name: results.StageRegNet, reads: stages(results.StageData, results.StagePool, results.StageRecNet),
			keyOn: stages(results.StagePool, results.StageRecNet),
			covers: func(c config.Config, _ string) []any {
				reg := c.RegNet
				reg.Inputs = nil // each input kind trains in its own folder inside the stage
				reg.Precision = ""
				if reg.DScale == config.DScaleRaw {
					reg.DScale = "" // the default before d_scale existed: older stages stay valid
				}
				return []any{c.Seed, reg, c.RegNet.Precision.Or(c.Runtime.Precision)}
			},
			stream: "regnet", run: (*pipeline).regnet,
		},
		{
			name: results.StageTable1, reads: stages(results.StageData, results.StagePool, results.StageRecNet, results.StageRegNet),
			keyOn:  stages(results.StageRegNet),
			covers: func(c config.Config, _ string) []any { return []any{c.RegNet.Inputs} },
			run:    (*pipeline).table1,
		},
		{
			name: results.StageTable2, reads: stages(results.StageData, results.StagePool, results.StageRecNet, results.StageRegNet),
			keyOn:  stages(results.StageRegNet),
			covers: func(c config.Config, _ string) []any { return []any{c.Seed, c.Attack, c.Eval.FailBelow} },
			stream: "attack", run: (*pipeline).table2,
		},
	}
}

// seed is the seed of the random stream of stage, or of its part: the
// stream "zoo" with part "unet-d2-f16" is "zoo/unet-d2-f16".
func (p *pipeline) seed(stage string, part ...string) uint64 {
	name := stageSpecOf(stage).stream
	if name == "" {
		panic("experiments: stage " + stage + " declares no random stream")
	}
	for _, s := range part {
		name += "/" + s
	}
	return run.Stream(p.cfg.Seed, name)
}

// precision is what a network asking for own (zoo.precision,
// recnet.precision or regnet.precision) computes in, as resolvePrecisions
// resolved it for this machine.
func (p *pipeline) precision(own config.Precision) graphs.Precision {
	return graphs.Precision(own.Or(p.cfg.Runtime.Precision))
}

// resolvePrecisions sets runtime.precision and each network's precision to
// what this machine computes in: a network's own precision, else
// runtime.precision, with bfloat16 falling back to float32 where the CPU
// lacks it. auto asks for bfloat16 where the CPU has it natively for the
// convolutional networks (the zoo and REC-Net) and float32 for the
// REG-Nets, which bfloat16 costs accuracy (README: Speed and precision).
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

// Stages lists the pipeline's stages in the order they run.
var Stages = results.Stages

func stageSpecOf(name string) stageSpec {
	for _, s := range stageSpecs {
		if s.name == name {
			return s
		}
	}
	panic("experiments: no stage " + name)
}

// Keys returns the key of every stage for cfg: a hash of the settings a
// stage depends on and of the keys of the stages it is keyed on.
// dataFingerprint summarises the files of data.root (see Fingerprint), so
// that changed input files are read again.
func Keys(cfg config.Config, dataFingerprint string) map[string]string {
	k := map[string]string{}
	for _, s := range stageSpecs {
		var deps []any
		for _, up := range s.keyOn(cfg) {
			deps = append(deps, k[up])
		}
		k[s.name] = run.Key(s.name, append(deps, s.covers(cfg, dataFingerprint)...)...)
	}
	return k
}
