package experiments

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSweepExpandsTheGrid(t *testing.T) {
	sw := Sweep{BaseConfig: "../configs/ci.yaml", Grid: []Axis{
		{Key: "regnet.loss", Values: []string{"l1", "l2"}},
		{Key: "regnet.dropout", Values: []string{"0", "0.5", "0.25"}},
	}, Seeds: []uint64{1, 2}}
	cfgs, err := sw.Expand(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfgs) != 12 || len(sw.Cells) != 12 {
		t.Fatalf("%d configs, %d cells; want 12", len(cfgs), len(sw.Cells))
	}
	names := map[string]bool{}
	for i, c := range sw.Cells {
		names[c.Name] = true
		if cfgs[i].Seed != c.Seed || cfgs[i].RegNet.Loss != c.Settings["regnet.loss"] {
			t.Errorf("cell %s has config seed %d loss %s", c.Name, cfgs[i].Seed, cfgs[i].RegNet.Loss)
		}
	}
	if len(names) != 12 || !names["regnet.loss=l2,regnet.dropout=0.25,seed=2"] {
		t.Errorf("cell names %v", names)
	}
}

func TestSweepRejectsBadCells(t *testing.T) {
	for _, ax := range []Axis{{Key: "regnet.los", Values: []string{"l1"}}, {Key: "regnet.loss", Values: []string{"l3"}}} {
		sw := Sweep{BaseConfig: "../configs/ci.yaml", Grid: []Axis{ax}}
		if _, err := sw.Expand(nil); err == nil || !strings.Contains(err.Error(), "regnet.los") {
			t.Errorf("grid %v: error %v", ax, err)
		}
	}
}

func TestSweepFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.yaml")
	os.WriteFile(path, []byte("config: ../c.yaml\ngrid:\n  regnet.loss: [l1, l2]\nseeds: [3]\nset:\n  data.patients: 12\n"), 0o644)
	sw, err := ReadSweepFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if sw.BaseConfig != filepath.Join(dir, "..", "c.yaml") || len(sw.Grid) != 1 || sw.Seeds[0] != 3 || sw.Sets[0] != "data.patients=12" {
		t.Errorf("read %+v", sw)
	}
}

// TestSweepSharesStagesAndResumes runs a sweep of a REG-Net-only setting:
// the second cell reuses every upstream stage of the first; a sweep killed
// after its first cell and started again finishes with the same tables.
func TestSweepSharesStagesAndResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("trains networks")
	}
	dir := t.TempDir()
	first := Sweep{BaseConfig: "../configs/ci.yaml", Grid: []Axis{{Key: "regnet.loss", Values: []string{"l1"}}}}
	cfgs, err := first.Expand(nil)
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	if err := RunSweep(context.Background(), first, cfgs, dir, 1, &bytes.Buffer{}, &log); err != nil {
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

	full := Sweep{BaseConfig: "../configs/ci.yaml", Grid: []Axis{{Key: "regnet.loss", Values: []string{"l1", "l2"}}}}
	cfgs, err = full.Expand(nil)
	if err != nil {
		t.Fatal(err)
	}
	log.Reset()
	if err := RunSweep(context.Background(), full, cfgs, dir, 2, &bytes.Buffer{}, &log); err != nil {
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

func TestShippedAblationsExpand(t *testing.T) {
	paths, _ := filepath.Glob("../configs/ablations/*.yaml")
	if len(paths) < 8 {
		t.Fatalf("found %d ablation sweeps, want 8", len(paths))
	}
	for _, p := range paths {
		sw, err := ReadSweepFile(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		cfgs, err := sw.Expand(nil)
		if err != nil || len(cfgs) < 2 {
			t.Errorf("%s: %d cells, %v", p, len(cfgs), err)
		}
	}
}

func TestFingerprintFollowsTheFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.nii"), []byte("one"), 0o644)
	d := ciConfig(t, "data.source=acdc", "data.root="+dir).Data
	before, err := Fingerprint(d)
	if err != nil || before == "" {
		t.Fatalf("fingerprint %q, %v", before, err)
	}
	os.WriteFile(filepath.Join(dir, "b.nii"), []byte("two"), 0o644)
	if after, _ := Fingerprint(d); after == before {
		t.Error("a new file under data.root kept the fingerprint")
	}
	if _, err := Fingerprint(ciConfig(t, "data.source=acdc", "data.root="+filepath.Join(dir, "gone")).Data); err == nil {
		t.Error("a missing data.root was accepted")
	}
}
