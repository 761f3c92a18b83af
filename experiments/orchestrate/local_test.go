package orchestrate

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/shared/results"
)

// TestSweepSharesStagesAndResumes runs a sweep of a REG-Net-only setting:
// the second cell reuses every upstream stage of the first; a sweep killed
// after its first cell and started again finishes with the same tables.
func TestSweepSharesStagesAndResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("trains networks")
	}
	dir := t.TempDir()
	first := results.Sweep{BaseConfig: "../../configs/ci.yaml", Grid: []results.Axis{{Key: "regnet.loss", Values: []string{"l1"}}}}
	cfgs, err := config.ExpandSweep(&first, nil)
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	local := Local{Jobs: 1, Render: testRender, Stdout: &bytes.Buffer{}, Log: &log}
	if err := local.Launch(context.Background(), Plan{Sweep: first, Configs: cfgs, Dir: dir}); err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	table1 := func(cell string) string {
		raw, err := os.ReadFile(filepath.Join(dir, "cells", cell, "results", "table1.json"))
		if err != nil {
			t.Fatal(err)
		}
		return string(raw)
	}
	before := table1("regnet.loss=l1,seed=1")

	full := results.Sweep{BaseConfig: "../../configs/ci.yaml", Grid: []results.Axis{{Key: "regnet.loss", Values: []string{"l1", "l2"}}}}
	cfgs, err = config.ExpandSweep(&full, nil)
	if err != nil {
		t.Fatal(err)
	}
	log.Reset()
	local.Jobs = 2
	if err := local.Launch(context.Background(), Plan{Sweep: full, Configs: cfgs, Dir: dir}); err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	if after := table1("regnet.loss=l1,seed=1"); after != before {
		t.Errorf("resumed sweep changed the finished cell's Table 1:\n%s\n%s", before, after)
	}
	cellLog, err := os.ReadFile(filepath.Join(dir, "cells", "regnet.loss=l2,seed=1", "log.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, stage := range []string{"data", "zoo", "pool", "recnet"} {
		if !strings.Contains(string(cellLog), "stage "+stage+": done before") {
			t.Errorf("cell l2 re-ran stage %s:\n%s", stage, cellLog)
		}
	}
	if !strings.Contains(string(cellLog), "stage regnet: running") {
		t.Errorf("cell l2 did not train its REG-Nets:\n%s", cellLog)
	}
}
