package experiments

import (
	"context"
	"fmt"
	"runtime"
	"slices"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/data/acdc"
	"github.com/segqa/segqa/harness/data/phantom"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
)

// Splits are the names of the three splits, in order.
var Splits = results.Splits

// Prepared is the data every later stage reads: the slices of every
// patient, the indices of each split's slices (the calibration patients'
// under results.Calib), and each patient's group.
type Prepared struct {
	Px     int
	Slices []acdc.Slice
	Split  acdc.Split
	Index  map[results.Split][]int // indices into Slices of each split
	Groups map[string]string       // Info.cfg's Group by patient ID; "" where unknown
}

func dataOptions(d config.Data) acdc.Options {
	return acdc.Options{Label: d.Label, Size: d.Size, SpacingMM: d.SpacingMM, Percentiles: [2]float64{d.Percentiles[0], d.Percentiles[1]}, KeepEmpty: d.KeepEmpty}
}

// DataOptions are the preprocessing options of the data settings d, which
// the data stage prepares its slices with.
func DataOptions(d config.Data) acdc.Options { return dataOptions(d) }

// runData writes the phantoms (data.source synthetic), reads the slices of
// every patient and splits the patients.
func runData(ctx context.Context, w *worker, set dataSettings, up *upstream) error {
	d := set.Data
	root := d.Root
	if d.Source == config.SourceSynthetic {
		root = w.file("acdc")
		w.logf("data: writing %d synthetic patients (ACDC layout) to %s\n", d.Patients+d.CalibPatients, root)
		if err := acdc.WriteSynthetic(root, d.Patients+d.CalibPatients, streamSeed(set.Seed, results.StageData, "phantoms"), phantom.Params{}, runtime.NumCPU()); err != nil {
			return err
		}
	}
	patients, stats, err := acdc.LoadACDC(root, dataOptions(d), w.log)
	if err != nil {
		return err
	}
	split, err := splitPatients(patients, d, set.Seed)
	if err != nil {
		return fmt.Errorf("%s: %w", root, err)
	}
	if err := acdc.SaveCache(w.file("slices.bin"), w.st.Key, patients, dataOptions(d)); err != nil {
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
	if len(split.Calib) > 0 {
		sum.Splits[results.Calib] = results.SplitCount{Patients: len(split.Calib), Slices: len(prep.Index[results.Calib]), IDs: split.Calib}
	}
	if err := run.WriteJSON(w.file(results.DatasetFile), sum); err != nil {
		return err
	}
	if err := w.figure("data_samples.png", dataSamplesFigure(prep, w.samples)); err != nil {
		return err
	}
	for _, name := range splitsAndCalib() {
		if s, ok := sum.Splits[name]; ok {
			w.logf("data: %-5s %3d patients %5d slices\n", name, s.Patients, s.Slices)
		}
	}
	w.logf("data: %d slices without the target dropped\n", stats.DroppedEmpty)
	up.prep = prep
	return nil
}

// splitPatients sets data.calib_patients patients aside for calibration
// (synthetic: the phantoms after data.patients; acdc: drawn evenly over
// the groups from the stream data/calib), then shares the rest out by
// data.split from the stream data/split. Without calibration patients the
// split is what it was before data.calib_patients existed.
func splitPatients(patients []acdc.Patient, d config.Data, seed uint64) (acdc.Split, error) {
	ids := make([]string, len(patients))
	group := map[string]string{}
	for i, pt := range patients {
		ids[i], group[pt.ID] = pt.ID, pt.Group
	}
	rest := ids
	var calib []string
	switch {
	case d.CalibPatients == 0:
	case d.Source == config.SourceSynthetic:
		set := map[string]bool{}
		for i := d.Patients + 1; i <= d.Patients+d.CalibPatients; i++ {
			set[acdc.SyntheticID(i)] = true
		}
		rest = nil
		for _, id := range ids {
			if set[id] {
				calib = append(calib, id)
			} else {
				rest = append(rest, id)
			}
		}
	case len(ids)-d.CalibPatients < 3:
		return acdc.Split{}, fmt.Errorf("%d patients with ground truth: data.calib_patients %d leaves fewer than 3 (one per split)", len(ids), d.CalibPatients)
	default:
		calib, rest = acdc.SetAside(ids, group, d.CalibPatients, streamSeed(seed, results.StageData, "calib"))
	}
	if len(rest) < 3 {
		return acdc.Split{}, fmt.Errorf("%d patients with ground truth, need at least 3 (one per split)", len(rest))
	}
	f := d.Split
	split := acdc.SplitPatients(rest, [3]float64{f[0], f[1], f[2]}, streamSeed(seed, results.StageData, "split"))
	split.Calib = calib
	return split, nil
}

// splitsAndCalib is Splits, then results.Calib.
func splitsAndCalib() []results.Split { return append(slices.Clone(Splits), results.Calib) }

// prepare indexes the slices of patients by split.
func prepare(patients []acdc.Patient, split acdc.Split, px int) *Prepared {
	prep := &Prepared{Px: px, Split: split, Index: map[results.Split][]int{}, Groups: map[string]string{}}
	of := map[string]results.Split{}
	for i, ids := range [][]string{split.Train, split.Val, split.Test, split.Calib} {
		for _, id := range ids {
			of[id] = splitsAndCalib()[i]
		}
	}
	for _, pt := range patients {
		prep.Groups[pt.ID] = pt.Group
		for _, s := range pt.Slices {
			prep.Index[of[pt.ID]] = append(prep.Index[of[pt.ID]], len(prep.Slices))
			prep.Slices = append(prep.Slices, s)
		}
	}
	return prep
}
