package experiments

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/results"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/tfrun"
)

// Env is where and how a pipeline runs; it never changes results.
type Env struct {
	Out      string        // run directory
	Store    string        // stage outputs; empty means OUT/stages
	Stages   []string      // stages to run; empty means all
	Stdout   io.Writer     // tables
	Log      io.Writer     // progress and messages
	Session  tfrun.Options // threads and device
	Manifest *run.Manifest // timings are recorded here
	Render   Renderers     // figures and the Markdown and CSV tables
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
}

// draw writes f to path as a PNG, if there is a figure renderer.
func (r Renderers) draw(path string, f results.Figure) error {
	if r.Figure == nil {
		return nil
	}
	return run.WriteAtomic(path, func(w io.Writer) error { return r.Figure(w, f) })
}

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

// draw writes f to path as a PNG (see Renderers.draw).
func (p *pipeline) draw(path string, f results.Figure) error { return p.env.Render.draw(path, f) }

// pipeline is one invocation: the config, where it runs, the stage folders.
type pipeline struct {
	cfg    config.Config
	env    Env
	stages map[string]*run.Stage

	prepared *Prepared // the data stage's output, once read

	// The tables the table stages computed in this process.
	t1   *results.Table1
	t2   *results.Table2
	cert *results.Certified
}

// Run runs the stages of cfg that env selects, skipping finished ones.
func Run(ctx context.Context, cfg config.Config, env Env) error {
	if env.Store == "" {
		env.Store = filepath.Join(env.Out, "stages")
	}
	if env.Log == nil {
		env.Log = io.Discard
	}
	if env.Stdout == nil {
		env.Stdout = io.Discard
	}
	selected := env.Stages
	if len(selected) == 0 {
		selected = Stages
	}
	for _, s := range selected {
		if !slices.Contains(Stages, s) {
			return fmt.Errorf("unknown stage %q (stages: %s)", s, strings.Join(Stages, ", "))
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
	p := &pipeline{cfg: cfg, env: env, stages: map[string]*run.Stage{}}
	fp, err := Fingerprint(cfg.Data)
	if err != nil {
		return err
	}
	keys := Keys(cfg, fp)
	for name, key := range keys {
		p.stages[name] = &run.Stage{Name: name, Key: key, Path: filepath.Join(env.Store, name+"-"+key)}
	}
	if env.Manifest != nil {
		if err := env.Manifest.Start(keys); err != nil {
			return err
		}
	}
	for _, spec := range stageSpecs {
		if !slices.Contains(selected, spec.name) {
			continue
		}
		step := func(ctx context.Context, st *run.Stage) error { return spec.run(p, ctx, st) }
		if err := p.runStage(ctx, spec.name, selected, step); err != nil {
			return err
		}
	}
	if err := p.printTables(selected); err != nil {
		return err
	}
	return p.printCertified(selected)
}

// printTables prints Table 1, Table 2 and the paper's claims, those the
// run selected, from the values the table stages computed, or from their
// results when they had finished before.
func (p *pipeline) printTables(selected []string) error {
	if p.env.Render.Table == nil {
		return nil
	}
	w := p.env.Stdout
	if slices.Contains(selected, results.StageTable1) {
		if p.t1 == nil {
			t, err := readStageResult(p.stages[results.StageTable1], "table1.json", results.ReadTable1)
			if err != nil {
				return err
			}
			p.t1 = &t
		}
		fmt.Fprintln(w, "Table 1: MAE of predicted Dice on the test pool (no attack)")
		if err := p.env.Render.Table(w, "txt", *p.t1); err != nil {
			return err
		}
	}
	if !slices.Contains(selected, results.StageTable2) {
		return nil
	}
	if p.t2 == nil {
		t, err := readStageResult(p.stages[results.StageTable2], "table2.json", results.ReadTable2)
		if err != nil {
			return err
		}
		p.t2 = &t
	}
	t := *p.t2
	n := min(3, len(t.Rows))
	fmt.Fprintln(w, "Table 2: MAE of predicted Dice on the test pool under attack")
	if err := p.env.Render.Table(w, "txt", results.Table2{Rows: t.Rows[:n], Spreads: t.Spreads}); err != nil {
		return err
	}
	if len(t.Rows) > n {
		fmt.Fprintln(w, "Table 2, extended: iterative and adaptive attacks")
		extended := t
		extended.Spreads = nil // said under the paper's rows
		if err := p.env.Render.Table(w, "txt", extended); err != nil {
			return err
		}
	}
	if t.HasBudget() {
		if err := p.env.Render.Table(w, "txt", results.Table2Budget(t)); err != nil {
			return err
		}
	}
	if len(t.Masking) > 0 {
		if err := p.env.Render.Table(w, "txt", results.MaskingChecks(t.Masking)); err != nil {
			return err
		}
	}
	if err := p.env.Render.Table(w, "txt", results.Claims(t.Claims())); err != nil {
		return err
	}
	if !t.HasQC() {
		return nil
	}
	return p.env.Render.Table(w, "txt", results.Table2QC(t))
}

// readStageResult reads a results file of a finished stage.
func readStageResult[T any](st *run.Stage, name string, read func(io.Reader) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(st.File("results", name))
	if err != nil {
		return zero, fmt.Errorf("stage %s: %w", st.Name, err)
	}
	defer f.Close()
	t, err := read(f)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", f.Name(), err)
	}
	return t, nil
}

// runStage runs one stage unless it finished before, holding the stage's
// lock so that sweep cells sharing it wait for one another. A finished
// stage is reused only once its files match its DONE record (see reuse).
func (p *pipeline) runStage(ctx context.Context, name string, selected []string, step func(context.Context, *run.Stage) error) error {
	st := p.stages[name]
	if ctx.Err() != nil { // stopped between stages: the safest point
		return &StoppedError{Stage: name, Dir: st.Path, Cause: context.Cause(ctx), Err: ctx.Err()}
	}
	unlock, err := st.Lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	var before *run.Marker // the record of a stage found corrupt
	if st.Done() {
		m, ok, err := p.reuse(st)
		if err != nil {
			return err
		}
		if ok {
			fmt.Fprintf(p.env.Log, "stage %s: done before (%s), skipped\n", name, st.Path)
			if err := p.publish(name, st); err != nil {
				return err
			}
			return p.record(name, st, 0, true)
		}
		before = &m
	}
	if err := p.requireUpstream(name, selected); err != nil {
		return err
	}
	if err := st.RemoveTemporaries(); err != nil {
		return err
	}
	fmt.Fprintf(p.env.Log, "stage %s: running in %s\n", name, st.Path)
	start := time.Now()
	err = step(ctx, st)
	if p.retryUnreadable(st, err) {
		err = step(ctx, st)
	}
	if err != nil {
		if ctx.Err() != nil {
			return &StoppedError{Stage: name, Dir: st.Path, Cause: context.Cause(ctx), Err: err}
		}
		return p.stageError(st, err)
	}
	took := time.Since(start)
	if err := st.Finish(took); err != nil {
		return err
	}
	if before != nil {
		p.compareRerun(st, *before)
	}
	if err := p.publish(name, st); err != nil {
		return err
	}
	if err := p.record(name, st, took, false); err != nil {
		return err
	}
	fmt.Fprintf(p.env.Log, "stage %s: finished in %s\n", name, took.Round(time.Millisecond))
	return nil
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

// requireUpstream checks that every stage that name reads has finished
// with these settings, or runs in this invocation (before name), and that
// the files of those finished before still match their DONE records, so
// that name never reads a changed file.
func (p *pipeline) requireUpstream(name string, selected []string) error {
	for _, up := range stageSpecOf(name).reads(p.cfg) {
		if slices.Contains(selected, up) {
			continue // it ran, or was checked, just before
		}
		if !p.stages[up].Done() {
			return fmt.Errorf("stage %s needs stage %s, which has not run with these settings; run it too (--stages %s,%s)", name, up, up, name)
		}
		if _, err := p.stages[up].Verify(p.cfg.Runtime.Verify); err != nil {
			return fmt.Errorf("stage %s needs stage %s: %w; run it again (--stages %s,%s)", name, up, err, up, name)
		}
	}
	return nil
}

// record writes the stage's timing into the run's manifest.
func (p *pipeline) record(name string, st *run.Stage, took time.Duration, skipped bool) error {
	if p.env.Manifest == nil {
		return nil
	}
	if skipped {
		if m, err := st.Marker(); err == nil {
			took = m.Duration
		}
	}
	if err := p.env.Manifest.Record(name, run.StageTiming{Key: st.Key, Seconds: took.Seconds(), Skipped: skipped}); err != nil {
		return fmt.Errorf("stage %s: manifest: %w", name, err)
	}
	return nil
}

// results is a path in the run's results folder.
func (p *pipeline) results(elem ...string) string {
	return filepath.Join(append([]string{p.env.Out, "results"}, elem...)...)
}
