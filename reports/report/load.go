package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/reports/tables"
)

// runData is what a run directory holds; a nil field is a file that is
// missing because its stage did not run.
type runData struct {
	dir      string
	config   []byte // config.json, indented
	manifest *run.Manifest
	dataset  *datasetInfo
	pool     map[string]poolSplit
	zoo      *tables.Generic
	recnet   *history
	table1   *tables.Table1
	table2   *tables.Table2
	preds    *predictions
}

type datasetInfo struct {
	Source string `json:"source"`
	Root   string `json:"root"`
	Splits map[string]struct {
		Patients int      `json:"patients"`
		Slices   int      `json:"slices"`
		IDs      []string `json:"ids"`
	} `json:"splits"`
	Size         int     `json:"size"`
	SpacingMM    float64 `json:"spacing_mm"`
	Label        []int   `json:"label"`
	DroppedEmpty int     `json:"dropped_empty"`
	SkippedNoGT  int     `json:"skipped_no_gt"`
}

type poolSplit struct {
	Patients  []string `json:"patients"`
	Samples   int      `json:"samples"`
	Perturbed int      `json:"perturbed"`
	Bins      []struct {
		Lo        float64 `json:"lo"`
		Hi        float64 `json:"hi"`
		Available int     `json:"available"`
		Sampled   int     `json:"sampled"`
		Perturbed int     `json:"perturbed"`
	} `json:"bins"`
}

type history struct {
	Name       string        `json:"name"`
	Epoch      int           `json:"epoch"`
	BestEpoch  int           `json:"best_epoch"`
	BestMetric tables.Number `json:"best_metric"`
	Stopped    string        `json:"stopped"`
	History    []struct {
		Epoch           int           `json:"epoch"`
		TrainLoss       tables.Number `json:"train_loss"`
		ValLoss         tables.Number `json:"val_loss"`
		ValMetric       tables.Number `json:"val_metric"`
		Seconds         float64       `json:"seconds"`
		ImagesPerSecond float64       `json:"images_per_second"`
	} `json:"history"`
}

type predictions struct {
	Patients  []string             `json:"patients"`
	Sources   []string             `json:"sources"`
	TrueDice  []float64            `json:"true_dice"`
	Predicted map[string][]float64 `json:"predicted"`
}

// loadRun reads every results file of a run directory. Figures are left
// for the report to read.
func loadRun(dir string) (*runData, error) {
	d := &runData{dir: dir}
	var raw json.RawMessage
	var t1 tables.Table1
	var t2 tables.Table2
	var man run.Manifest
	var ds datasetInfo
	var zoo struct {
		Title  string     `json:"title"`
		Header []string   `json:"header"`
		Rows   [][]string `json:"rows"`
	}
	files := []struct {
		rel  string
		v    any
		keep func()
	}{
		{"config.json", &raw, func() { d.config = indent(raw) }},
		{"manifest.json", &man, func() { d.manifest = &man }},
		{"results/dataset.json", &ds, func() { d.dataset = &ds }},
		{"results/pool.json", &d.pool, func() {}},
		{"results/zoo.json", &zoo, func() { d.zoo = &tables.Generic{Title: zoo.Title, Header: zoo.Header, Rows: zoo.Rows} }},
		{"results/recnet_history.json", &d.recnet, func() {}},
		{"results/table1.json", &t1, func() { d.table1 = &t1 }},
		{"results/table2.json", &t2, func() { d.table2 = &t2 }},
		{"results/predictions.json", &d.preds, func() {}},
	}
	for _, f := range files {
		found, err := readJSON(dir, f.rel, f.v)
		if err != nil {
			return nil, err
		}
		if found {
			f.keep()
		}
	}
	if p := d.preds; p != nil {
		for k, xs := range p.Predicted {
			if len(xs) != len(p.TrueDice) {
				return nil, fmt.Errorf("report: %s: %d predictions for %q, %d true Dice",
					filepath.Join(dir, "results", "predictions.json"), len(xs), k, len(p.TrueDice))
			}
		}
	}
	return d, nil
}

// indent re-indents JSON with two spaces, so that the config reads the
// same whoever wrote it.
func indent(raw []byte) []byte {
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return raw
	}
	return buf.Bytes()
}

// started reports whether the run directory holds anything of a run.
func (d *runData) started() bool { return d.manifest != nil || d.config != nil }
