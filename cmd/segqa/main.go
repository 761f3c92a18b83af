// Command segqa assesses segmentation quality without ground truth and
// tests how robust that assessment is to adversarial attack.
//
//	segqa version
//	segqa run --config FILE [--set key=value]... [--out DIR] [--stages a,b,...] [--no-recompute]
//	segqa sweep --config FILE --grid key=v1,v2 [--grid ...] [--seeds 1,2,3] [--jobs N] [--out DIR]
//	segqa sweep --sweep FILE.yaml [--jobs N] [--out DIR]
//	segqa sweep ... --launcher slurm [--launcher-config FILE] [--set launcher.slurm.KEY=VALUE]...
//	segqa sweep --out DIR --cell I
//	segqa sweep --status DIR
//	segqa report DIR
//	segqa verify RUN_SWEEP_OR_STORE
//	segqa gc [--delete] RUN_SWEEP_OR_FOLDER
//	segqa score --run DIR --image IMG.nii.gz --seg SEG.nii.gz [--label N] [--out DIR] [--certify [--sigma S] [--radius R]]
//	segqa synth --out DIR --patients N [--seed S]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/segqa/segqa/experiments"
	"github.com/segqa/segqa/experiments/score"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/data/acdc"
	"github.com/segqa/segqa/harness/data/phantom"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/tfrun"
	"github.com/segqa/segqa/reports/figures"
	"github.com/segqa/segqa/reports/report"
	"github.com/segqa/segqa/reports/tables"
)

func main() {
	ctx, stopped := onSignals(os.Stderr)
	err := runMain(ctx, os.Stdout, os.Stderr, os.Args[1:], os.Environ())
	var u usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		// --help printed the usage
	case stopped() != nil:
		fmt.Fprintln(os.Stderr, "segqa:", resumeLine(err))
		os.Exit(signalExit(stopped()))
	case errors.As(err, &u):
		fmt.Fprintln(os.Stderr, "segqa:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "segqa:", err)
		os.Exit(1)
	}
}

// usageError is a command line that cannot be parsed; segqa exits 2.
type usageError struct{ error }

func (u usageError) Unwrap() error { return u.error }

// parse parses args into fs; a bad flag is a usageError (the flag package
// has printed it and the usage), -h or --help is flag.ErrHelp.
func parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return usageError{err}
}

const usage = `usage:
  segqa version
  segqa run --config FILE [--set key=value]... [--out DIR] [--stages a,b,...] [--no-recompute]
  segqa sweep --config FILE --grid key=v1,v2 [--grid ...] [--seeds 1,2,3] [--set key=value]... [--jobs N] [--out DIR]
  segqa sweep --sweep FILE.yaml [--jobs N] [--out DIR]
  segqa sweep ... --launcher slurm [--launcher-config FILE] [--set launcher.slurm.KEY=VALUE]...
  segqa sweep --out DIR --cell I
  segqa sweep --status DIR
  segqa report DIR
  segqa verify RUN_SWEEP_OR_STORE
  segqa gc [--delete] RUN_SWEEP_OR_FOLDER
  segqa score --run DIR --image IMG.nii.gz --seg SEG.nii.gz [--label N] [--out DIR] [--certify [--sigma S] [--radius R]]
  segqa synth --out DIR --patients N [--seed S]
  segqa brains --template DIR --out DIR [--patients N] [--seed S]`

func runMain(ctx context.Context, stdout, stderr io.Writer, args, environ []string) error {
	if len(args) == 0 {
		return usageError{errors.New(usage)}
	}
	switch args[0] {
	case "version":
		return version(stdout)
	case "run":
		return runCmd(ctx, stdout, stderr, args[1:], environ)
	case "sweep":
		return sweepCmd(ctx, stdout, stderr, args[1:], environ)
	case "report":
		if len(args) == 2 && (args[1] == "-h" || args[1] == "--help") {
			fmt.Fprintln(stdout, "usage: segqa report RUN_OR_SWEEP_DIR")
			return nil
		}
		if len(args) != 2 {
			return usageError{errors.New("usage: segqa report RUN_OR_SWEEP_DIR")}
		}
		return writeReport(stdout, args[1])
	case "verify":
		return verifyCmd(stdout, stderr, args[1:])
	case "gc":
		return gcCmd(stdout, stderr, args[1:])
	case "score":
		return scoreCmd(ctx, stdout, stderr, args[1:])
	case "synth":
		return synth(stdout, stderr, args[1:])
	case "brains":
		return brains(stdout, stderr, args[1:])
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return usageError{fmt.Errorf("unknown command %q\n%s", args[0], usage)}
}

func version(w io.Writer) error {
	fmt.Fprintf(w, "segqa %s (%s)\nTensorFlow %s\n", run.Version, runtime.Version(), tfrun.Version())
	devs, err := tfrun.Devices(tfrun.Options{Device: "auto"})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "devices: %s\n", strings.Join(devs, ", "))
	if !slices.ContainsFunc(devs, func(d string) bool { return strings.HasPrefix(d, "GPU:") }) {
		fmt.Fprintf(w, "GPU: none found, runtime.device auto runs on the CPU: %s\n", tfrun.NoGPUReason())
	}
	return nil
}

// renderers draw the figures and render the tables that the stages
// describe.
var renderers = experiments.Renderers{Figure: figures.Draw, Table: tables.Write, Summary: tables.PrintRun}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func runCmd(ctx context.Context, stdout, stderr io.Writer, args, environ []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "YAML config file")
	out := fs.String("out", "", "run directory (default runs/NAME of the config)")
	stages := fs.String("stages", "", "comma-separated stages to run (default all: "+strings.Join(results.StageNames(experiments.Stages), ",")+")")
	noRecompute := fs.Bool("no-recompute", false, "stop, instead of running a stage again, when a finished stage's files differ from its DONE record")
	var sets multi
	fs.Var(&sets, "set", "key=value override, repeatable")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("run: unexpected argument %q", fs.Arg(0))
	}
	cfg, err := config.Load(*cfgPath, environ, sets)
	if err != nil {
		return err
	}
	if *out == "" {
		name := strings.TrimSuffix(filepath.Base(*cfgPath), filepath.Ext(*cfgPath))
		if name == "" || name == "." {
			name = "default"
		}
		*out = filepath.Join("runs", name)
	}
	var list []results.StageName
	if *stages != "" {
		for _, s := range strings.Split(*stages, ",") {
			list = append(list, results.StageName(s))
		}
	}
	env, err := experiments.NewEnv(cfg, *out, cfg.Runtime.Threads)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "segqa %s, TensorFlow %s, %d threads on %s; run directory %s\n", run.Version, tfrun.Version(), env.Session.Threads, strings.Join(env.Manifest.Devices, ", "), *out)
	env.Stages, env.Log, env.Render, env.NoRecompute = list, stderr, renderers, *noRecompute
	if err := experiments.Run(ctx, cfg, env); err != nil {
		return err
	}
	if err := tables.PrintRun(stdout, *out, list); err != nil {
		return err
	}
	return writeReport(stdout, *out)
}

// writeReport writes report.md and report.html of a run or sweep directory
// and prints where they are.
func writeReport(w io.Writer, dir string) error {
	md, html, err := report.Write(dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "report: %s (and %s)\n", html, md)
	return nil
}

func synth(w, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("synth", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "folder to write (ACDC layout)")
	n := fs.Int("patients", 10, "number of phantoms")
	seed := fs.Uint64("seed", 1, "seed")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" || *n < 1 {
		return errors.New("synth: --out DIR and --patients N (N >= 1) are required")
	}
	if err := acdc.WriteSynthetic(*out, *n, *seed, phantom.Params{}, runtime.NumCPU()); err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %d synthetic patients to %s\n", *n, *out)
	return nil
}

// The MNI152 2009a files that nilearn's wheel bundles (make brains).
const (
	mniT1 = "mni_icbm152_t1_tal_nlin_sym_09a_converted.nii.gz"
	mniGM = "mni_icbm152_gm_tal_nlin_sym_09a_converted.nii.gz"
	mniWM = "mni_icbm152_wm_tal_nlin_sym_09a_converted.nii.gz"
)

// brains writes pseudo-patients of real MR made from the MNI152 template
// (docs/fidelity.md, "A real-image set of our own").
func brains(w, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("brains", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tplDir := fs.String("template", "", "folder holding "+mniT1+" and its gm and wm maps")
	out := fs.String("out", "", "folder to write (ACDC layout)")
	n := fs.Int("patients", 20, "number of pseudo-patients")
	seed := fs.Uint64("seed", 1, "seed")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *tplDir == "" || *out == "" || *n < 1 {
		return errors.New("brains: --template DIR, --out DIR and --patients N (N >= 1) are required")
	}
	tpl, err := acdc.ReadTemplate(filepath.Join(*tplDir, mniT1), filepath.Join(*tplDir, mniGM), filepath.Join(*tplDir, mniWM))
	if err != nil {
		return err
	}
	if err := acdc.WriteBrains(*out, tpl, *n, *seed); err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %d pseudo-patients to %s\n", *n, *out)
	return nil
}

// scoreCmd predicts the Dice of each slice of one segmentation with a
// trained run's REG-Nets and writes the error map.
func scoreCmd(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("score", flag.ContinueOnError)
	fs.SetOutput(stderr)
	runDir := fs.String("run", "", "finished run directory (trained REG-Nets), e.g. runs/quick")
	store := fs.String("store", "", "its stage store (default RUN/stages; a sweep's SWEEP/store)")
	img := fs.String("image", "", "image, NIfTI (.nii or .nii.gz), 2-D or 3-D")
	seg := fs.String("seg", "", "segmentation of it, NIfTI on the same grid")
	label := fs.Int("label", 0, "target label in the segmentation (0: any non-zero label)")
	out := fs.String("out", "", "output folder (default IMAGE's name + .segqa)")
	threads := fs.Int("threads", 0, "TensorFlow threads (0: every core)")
	certify := fs.Bool("certify", false, "add each slice's certified interval (median smoothing, the run's certify.samples and certify.alpha)")
	sigma := fs.Float64("sigma", 0, "--certify: noise σ on x (0: the run's first certify.sigma)")
	radius := fs.Float64("radius", 0, "--certify: L2 radius certified (0: the run's first certify.radii)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *runDir == "" || *img == "" || *seg == "" {
		return errors.New("score: --run, --image and --seg are required")
	}
	if *out == "" {
		*out = strings.TrimSuffix(strings.TrimSuffix(*img, ".gz"), ".nii") + ".segqa"
	}
	if *threads == 0 {
		*threads = runtime.NumCPU()
	}
	res, err := score.Run(ctx, *img, *seg, score.Options{
		Run: *runDir, Store: *store, Label: *label, Out: *out,
		Session: tfrun.Options{Threads: *threads, Device: "auto"},
		Render:  renderers, Certify: *certify, Sigma: *sigma, Radius: *radius,
	})
	if err != nil {
		return err
	}
	if err := tables.Write(stdout, "txt", res.Table()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "scores: %s\n", filepath.Join(*out, score.ResultFile))
	if res.ErrorMap != "" {
		fmt.Fprintf(stdout, "error map: %s (on the grid of %s)\n", res.ErrorMap, res.PreprocessedImage)
	}
	return nil
}
