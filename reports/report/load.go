package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
)

// runData is what a run directory holds; a nil field is a file that is
// missing because its stage did not run.
type runData struct {
	dir      string
	config   []byte // config.json, indented
	manifest *run.Manifest
	dataset  *results.Dataset
	pool     results.Pool
	zoo      *results.Table
	recnet   *results.History
	table1   *results.Table1
	table2   *results.Table2
	preds    *results.Predictions
	// conformal is how the intervals were calibrated.
	conformal *results.Conformal
	// certified is nil unless the run's certify stage was enabled.
	certified *results.Certified
}

// loadRun reads every results file of a run directory. Figures are left
// for the report to read.
func loadRun(dir string) (*runData, error) {
	d := &runData{dir: dir}
	var raw json.RawMessage
	var t1 results.Table1
	var t2 results.Table2
	var man run.Manifest
	var ds results.Dataset
	var zoo results.Table
	files := []struct {
		rel  string
		v    any
		keep func()
	}{
		{results.ConfigFile, &raw, func() { d.config = indent(raw) }},
		{results.ManifestFile, &man, func() { d.manifest = &man }},
		{results.DatasetFile, &ds, func() { d.dataset = &ds }},
		{results.PoolFile, &d.pool, func() {}},
		{results.ZooFile, &zoo, func() { d.zoo = &zoo }},
		{results.RecNetHistoryFile, &d.recnet, func() {}},
		{results.Table1File, &t1, func() { d.table1 = &t1 }},
		{results.Table2File, &t2, func() { d.table2 = &t2 }},
		{results.PredictionsFile, &d.preds, func() {}},
		{results.ConformalFile, &d.conformal, func() {}},
		{results.CertifiedFile, &d.certified, func() {}},
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
					filepath.Join(dir, filepath.FromSlash(results.PredictionsFile)), len(xs), k, len(p.TrueDice))
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
