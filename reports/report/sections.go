package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/segqa/segqa/harness/shared/results"

	"github.com/segqa/segqa/reports/tables"
)

// splits are the data splits in reading order, the calibration patients
// last (runs without them have none).
var splits = append(slices.Clone(results.Splits), results.Calib)

// paperRecNetL1 is the validation L1 the paper reports for REC-Net.
const paperRecNetL1 = 0.01

func (d *runData) datasetSection(r *Report) {
	s := r.add("data", "Data set", 2)
	ds := d.dataset
	if ds == nil {
		s.blocks = append(s.blocks, notRun("results/dataset.json", "data"))
		return
	}
	root := ds.Root
	if root == "" {
		root = results.Dash
	}
	labels := make([]string, len(ds.Label))
	for i, l := range ds.Label {
		labels[i] = strconv.Itoa(l)
	}
	s.para("Source: %s (root `%s`). Slices are %d × %d px at %g mm; target label %s. "+
		"Slices dropped as empty: %d; skipped for lack of ground truth: %d.",
		ds.Source, root, ds.Size, ds.Size, ds.SpacingMM, strings.Join(labels, ", "), ds.DroppedEmpty, ds.SkippedNoGT)
	g := tables.Generic{Header: []string{"split", "patients", "slices", "patient ids"}}
	for _, name := range splits {
		sp, ok := ds.Splits[name]
		if !ok {
			continue
		}
		g.Rows = append(g.Rows, []string{string(name), strconv.Itoa(sp.Patients), strconv.Itoa(sp.Slices), shortList(sp.IDs, 6)})
	}
	s.table("", g)
}

// shortList joins at most max items, then says how many more there are.
func shortList(items []string, max int) string {
	if len(items) <= max {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:max], ", ") + fmt.Sprintf(", … (%d more)", len(items)-max)
}

func (d *runData) poolSection(r *Report) {
	s := r.add("pool", "Segmentation pools", 2)
	if d.pool == nil {
		s.blocks = append(s.blocks, notRun("results/pool.json", "pool"))
		return
	}
	s.para("Each split's pool is balanced over equal Dice bins. *available* counts the zoo's segmentations in the bin, " +
		"*sampled* those drawn into the pool, *perturbed* those that had to be made by perturbing the ground truth because the zoo offered too few.")
	g := tables.Generic{Header: []string{"split", "Dice bin", "available", "sampled", "perturbed", "perturbed share"}}
	for _, name := range splits {
		sp, ok := d.pool[name]
		if !ok {
			continue
		}
		for i, b := range sp.Bins {
			closing := ")"
			if i == len(sp.Bins)-1 {
				closing = "]"
			}
			g.Rows = append(g.Rows, []string{string(name), fmt.Sprintf("[%g, %g%s", b.Lo, b.Hi, closing),
				strconv.Itoa(b.Available), strconv.Itoa(b.Sampled), strconv.Itoa(b.Perturbed), share(b.Perturbed, b.Sampled)})
		}
		g.Rows = append(g.Rows, []string{string(name), "all", "", strconv.Itoa(sp.Samples), strconv.Itoa(sp.Perturbed), share(sp.Perturbed, sp.Samples)})
	}
	s.table("", g)
}

// share formats part/whole as a percentage, a results.Dash if whole is 0.
func share(part, whole int) string {
	if whole == 0 {
		return results.Dash
	}
	return fmt.Sprintf("%.0f%%", 100*float64(part)/float64(whole))
}

func (d *runData) zooSection(r *Report) {
	s := r.add("zoo", "U-Net zoo", 2)
	if d.zoo == nil {
		s.blocks = append(s.blocks, notRun("results/zoo.json", "zoo"))
		return
	}
	s.para("Mean Dice of every zoo model on each split; the zoo's segmentations of every quality feed the pools.")
	s.table("", tables.Generic(*d.zoo))
}

func (d *runData) recnetSection(r *Report) {
	s := r.add("recnet", "REC-Net training", 2)
	h := d.recnet
	if h == nil || len(h.History) == 0 {
		s.blocks = append(s.blocks, notRun("results/recnet_history.json", "recnet"))
		return
	}
	last := h.History[len(h.History)-1]
	var secs, ips float64
	for _, e := range h.History {
		secs += e.Seconds
		ips += e.ImagesPS
	}
	s.para("Best validation L1 %s at epoch %d of %d%s; the paper reports about %g.",
		tables.Fixed(h.Best, 4), h.BestEpoch, h.Epoch, stopText(h.Stopped), paperRecNetL1)
	g := tables.Generic{
		Header: []string{"best epoch", "best val L1", "paper (about)", "epochs", "last train loss", "last val loss", "training time", "images/s (mean)"},
		Rows: [][]string{{
			strconv.Itoa(h.BestEpoch), tables.Fixed(h.Best, 4), strconv.FormatFloat(paperRecNetL1, 'g', -1, 64),
			strconv.Itoa(h.Epoch), tables.Fixed(float64(last.TrainLoss), 4), tables.Fixed(float64(last.ValLoss), 4),
			seconds(secs), tables.Fixed(ips/float64(len(h.History)), 0),
		}},
	}
	s.table("", g)
}

// stopText says why training stopped, as the state records it.
func stopText(stopped string) string {
	switch stopped {
	case results.StopConverged:
		return " (stopped early: the validation score no longer improved)"
	case results.StopMaxEpochs:
		return " (the maximum number of epochs)"
	}
	return ""
}

// seconds formats a duration given in seconds, rounded for reading.
func seconds(x float64) string {
	if math.IsNaN(x) {
		return results.Dash
	}
	d := time.Duration(x * float64(time.Second))
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(10 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

func (d *runData) timingSection(r *Report) {
	s := r.add("timings", "Stage timings", 2)
	m := d.manifest
	if m == nil {
		s.blocks = append(s.blocks, notRun("manifest.json", ""))
		return
	}
	s.para("Started %s, last updated %s. A reused stage was finished earlier (by an earlier invocation or another sweep cell) and cost nothing here.",
		m.Started.UTC().Format(time.RFC3339), m.Updated.UTC().Format(time.RFC3339))
	g := tables.Generic{Header: []string{"stage", "key", "seconds", "time", "status"}}
	var total float64
	for _, name := range m.Order {
		st, ok := m.Stages[name]
		if !ok {
			continue
		}
		status := "run"
		if st.Skipped {
			status = "reused"
		}
		total += st.Seconds
		g.Rows = append(g.Rows, []string{name, st.Key, tables.Fixed(st.Seconds, 2), seconds(st.Seconds), status})
	}
	g.Rows = append(g.Rows, []string{"total", "", tables.Fixed(total, 2), seconds(total), ""})
	s.table("", g)
}

func (d *runData) environmentSection(r *Report) {
	s := r.add("environment", "Environment", 2)
	m := d.manifest
	if m == nil {
		s.blocks = append(s.blocks, notRun("manifest.json", ""))
		return
	}
	g := tables.Generic{Header: []string{"item", "value"}, Rows: [][]string{
		{"segqa", m.Segqa},
		{"TensorFlow", m.TensorFlow},
		{"Go", m.Go},
		{"git revision", m.GitRev},
		{"seed", strconv.FormatUint(m.Seed, 10)},
		{"host", m.Host},
		{"OS", m.OS},
		{"CPUs", strconv.Itoa(m.CPUs)},
		{"threads", strconv.Itoa(m.Threads)},
		{"device (requested)", m.Device},
		{"devices", strings.Join(m.Devices, "; ")},
	}}
	s.table("", g)
}

func (d *runData) configSection(r *Report) {
	s := r.add("config", "Resolved config", 2)
	if d.config == nil {
		s.blocks = append(s.blocks, notRun("config.json", ""))
		return
	}
	s.blocks = append(s.blocks, code{summary: "config.json", lang: "json", text: string(d.config)})
}
