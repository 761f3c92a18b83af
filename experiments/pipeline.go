package experiments

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/runner"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/tfrun"
)

// Env is where and how a pipeline runs; it never changes results.
type Env struct {
	Out      string              // run directory
	Store    string              // stage outputs; empty means OUT/stages
	Stages   []results.StageName // stages to run; empty means all
	Log      io.Writer           // progress and messages
	Session  tfrun.Options       // threads and device
	Manifest *run.Manifest       // timings are recorded here
	Render   Renderers           // figures and the Markdown and CSV tables
	// NoRecompute stops the run when a finished stage's files differ from
	// its DONE record, instead of running the stage again.
	NoRecompute bool
}

// Renderers turn what the stages compute into figures and tables; reports
// provides them (reports/figures.Draw and reports/tables.Write), so that
// experiments describes figures and tables but never draws them. A nil
// renderer leaves its files out: the JSON results are written regardless.
type Renderers struct {
	// Figure draws f as a PNG.
	Figure func(w io.Writer, f results.Figure) error
	// Table writes t in format "txt" (for a terminal), "md" or "csv".
	Table func(w io.Writer, format string, t results.Tabular) error
	// Summary prints a finished run's tables of stages (all when empty)
	// for a terminal, from the results it published in dir.
	Summary func(w io.Writer, dir string, stages []results.StageName) error
}

// draw writes f to path as a PNG, if there is a figure renderer.
func (r Renderers) draw(path string, f results.Figure) error {
	if r.Figure == nil {
		return nil
	}
	return run.WriteAtomic(path, func(w io.Writer) error { return r.Figure(w, f) })
}

// Draw writes f to path as a PNG, if there is a figure renderer.
func (r Renderers) Draw(path string, f results.Figure) error { return r.draw(path, f) }

// writeTable writes t as DIR/NAME.json and, if there is a table renderer,
// as NAME.md and NAME.csv.
func (r Renderers) writeTable(dir, name string, t results.Tabular) error {
	if err := run.WriteAtomic(filepath.Join(dir, name+".json"), t.JSON); err != nil {
		return err
	}
	if r.Table == nil {
		return nil
	}
	for _, format := range []string{"md", "csv"} {
		err := run.WriteAtomic(filepath.Join(dir, name+"."+format), func(w io.Writer) error { return r.Table(w, format, t) })
		if err != nil {
			return err
		}
	}
	return nil
}

// NewEnv is the environment of a run of cfg in out on threads threads (0:
// every core): its sessions' options and its manifest, which records the
// devices TensorFlow finds. The caller sets the rest.
func NewEnv(cfg config.Config, out string, threads int) (Env, error) {
	if threads == 0 {
		threads = runtime.NumCPU()
	}
	opts := tfrun.Options{Threads: threads, Device: cfg.Runtime.Device}
	devs, err := tfrun.Devices(opts)
	if err != nil {
		return Env{}, err
	}
	man := run.NewManifest(filepath.Join(out, results.ManifestFile), tfrun.Version(), cfg.Seed, threads, string(cfg.Runtime.Device), devs)
	return Env{Out: out, Session: opts, Manifest: man}, nil
}

// Run runs the stages of cfg that env selects, skipping finished ones. It
// prints nothing: the tables are in OUT/results (see ReadTables).
func Run(ctx context.Context, cfg config.Config, env Env) error {
	if env.Store == "" {
		env.Store = filepath.Join(env.Out, "stages")
	}
	if env.Log == nil {
		env.Log = io.Discard
	}
	selected := env.Stages
	if len(selected) == 0 {
		selected = Stages
	}
	for _, s := range selected {
		if !slices.Contains(Stages, s) {
			return fmt.Errorf("unknown stage %q (stages: %s)", s, strings.Join(results.StageNames(Stages), ", "))
		}
	}
	if err := run.WriteFile(filepath.Join(env.Out, "config.json"), cfg.JSON()); err != nil {
		return err
	}
	// From here on cfg holds the precision this machine runs in, which the
	// stages' keys and the manifest record.
	var note string
	if cfg, note = resolvePrecisions(cfg, env.Session); note != "" {
		fmt.Fprintln(env.Log, note)
	}
	if env.Manifest != nil {
		env.Manifest.Precision = precisions(cfg)
	}
	fp, err := Fingerprint(cfg.Data)
	if err != nil {
		return err
	}
	keys := Keys(cfg, fp)
	folders := map[results.StageName]*run.Stage{}
	named := map[string]string{}
	for name, key := range keys {
		folders[name] = run.NewStageAt(env.Store, string(name), key)
		named[string(name)] = key
	}
	if env.Manifest != nil {
		if err := env.Manifest.Start(named); err != nil {
			return err
		}
	}
	up := newUpstream(folders, env.Session)
	var steps []runner.Step
	for _, def := range stageDefs {
		w := newWorker(folders[def.name], env, cfg)
		step := runner.Step{
			Stage: folders[def.name], Reads: results.StageNames(def.reads(cfg)),
			Run: func(ctx context.Context) error { return def.run(ctx, w, cfg, fp, up) },
		}
		if def.complete != nil {
			step.Complete = func() bool { return def.complete(cfg, up) }
		}
		steps = append(steps, step)
	}
	r := runner.Runner{
		Out: env.Out, Publish: []string{"results", tensorboardDir}, Log: env.Log, Manifest: env.Manifest,
		Verify: cfg.Runtime.Verify, NoRecompute: env.NoRecompute,
	}
	return r.Run(ctx, steps, results.StageNames(selected))
}

// Fingerprint summarises the files under data.root (relative path, size and
// modification time of each) for data.source acdc; phantoms, made from the
// config alone, have none.
func Fingerprint(d config.Data) (string, error) {
	if d.Source != config.SourceACDC {
		return "", nil
	}
	var files []string
	err := filepath.WalkDir(d.Root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			return nil
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(d.Root, path)
		files = append(files, fmt.Sprintf("%s %d %d", rel, info.Size(), info.ModTime().UnixNano()))
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("data.root: %w", err)
	}
	return run.Key("files", files), nil
}
