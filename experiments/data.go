package experiments

import (
	"context"
	"fmt"
	"runtime"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/dataset"
	"github.com/segqa/segqa/harness/phantom"
	"github.com/segqa/segqa/harness/results"
	"github.com/segqa/segqa/harness/run"
)

// Splits are the names of the three splits, in order.
var Splits = results.Splits

// Prepared is the data every later stage reads: the slices of every
// patient, and the indices of each split's slices.
type Prepared struct {
	Px     int
	Slices []dataset.Slice
	Split  dataset.Split
	Index  map[results.Split][]int // indices into Slices of each split
}

func dataOptions(d config.Data) dataset.Options {
	return dataset.Options{Label: d.Label, Size: d.Size, SpacingMM: d.SpacingMM, Percentiles: [2]float64{d.Percentiles[0], d.Percentiles[1]}, KeepEmpty: d.KeepEmpty}
}

// runData writes the phantoms (data.source synthetic), reads the slices of
// every patient and splits the patients.
func runData(ctx context.Context, w *worker, set dataSettings, up *upstream) error {
	d := set.Data
	root := d.Root
	if d.Source == config.SourceSynthetic {
		root = w.file("acdc")
		w.logf("data: writing %d synthetic patients (ACDC layout) to %s\n", d.Patients, root)
		if err := dataset.WriteSynthetic(root, d.Patients, streamSeed(set.Seed, results.StageData, "phantoms"), phantom.Params{}, runtime.NumCPU()); err != nil {
			return err
		}
	}
	patients, stats, err := dataset.LoadACDC(root, dataOptions(d), w.log)
	if err != nil {
		return err
	}
	if len(patients) < 3 {
		return fmt.Errorf("%s: %d patients with ground truth, need at least 3 (one per split)", root, len(patients))
	}
	ids := make([]string, len(patients))
	for i, pt := range patients {
		ids[i] = pt.ID
	}
	f := d.Split
	split := dataset.SplitPatients(ids, [3]float64{f[0], f[1], f[2]}, streamSeed(set.Seed, results.StageData, "split"))
	if err := dataset.SaveCache(w.file("slices.bin"), w.st.Key, patients, dataOptions(d)); err != nil {
		return err
	}
	if err := run.WriteJSON(w.file("split.json"), split); err != nil {
		return err
	}
	prep := prepare(patients, split, d.Size)
	sum := results.Dataset{
		Source: string(d.Source), Root: d.Root, Size: d.Size, SpacingMM: d.SpacingMM, Label: d.Label,
		DroppedEmpty: stats.DroppedEmpty, SkippedNoGT: stats.SkippedNoGT, Splits: map[results.Split]results.SplitCount{},
	}
	for i, name := range Splits {
		pids := [][]string{split.Train, split.Val, split.Test}[i]
		sum.Splits[name] = results.SplitCount{Patients: len(pids), Slices: len(prep.Index[name]), IDs: pids}
	}
	if err := run.WriteJSON(w.file(results.DatasetFile), sum); err != nil {
		return err
	}
	if err := w.figure("data_samples.png", dataSamplesFigure(prep, w.samples)); err != nil {
		return err
	}
	for _, name := range Splits {
		s := sum.Splits[name]
		w.logf("data: %-5s %3d patients %5d slices\n", name, s.Patients, s.Slices)
	}
	w.logf("data: %d slices without the target dropped\n", stats.DroppedEmpty)
	up.prep = prep
	return nil
}

// prepare indexes the slices of patients by split.
func prepare(patients []dataset.Patient, split dataset.Split, px int) *Prepared {
	prep := &Prepared{Px: px, Split: split, Index: map[results.Split][]int{}}
	of := map[string]results.Split{}
	for i, ids := range [][]string{split.Train, split.Val, split.Test} {
		for _, id := range ids {
			of[id] = Splits[i]
		}
	}
	for _, pt := range patients {
		for _, s := range pt.Slices {
			prep.Index[of[pt.ID]] = append(prep.Index[of[pt.ID]], len(prep.Slices))
			prep.Slices = append(prep.Slices, s)
		}
	}
	return prep
}
