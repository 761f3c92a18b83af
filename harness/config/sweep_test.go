package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/shared/results"
)

func TestSweepExpandsTheGrid(t *testing.T) {
	sw := results.Sweep{BaseConfig: "../../configs/ci.yaml", Grid: []results.Axis{
		{Key: "regnet.loss", Values: []string{"l1", "l2"}},
		{Key: "regnet.dropout", Values: []string{"0", "0.5", "0.25"}},
	}, Seeds: []uint64{1, 2}}
	cfgs, err := ExpandSweep(&sw, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfgs) != 12 || len(sw.Cells) != 12 {
		t.Fatalf("%d configs, %d cells; want 12", len(cfgs), len(sw.Cells))
	}
	names := map[string]bool{}
	for i, c := range sw.Cells {
		names[c.Name] = true
		if cfgs[i].Seed != c.Seed || string(cfgs[i].RegNet.Loss) != c.Settings["regnet.loss"] {
			t.Errorf("cell %s has config seed %d loss %s", c.Name, cfgs[i].Seed, cfgs[i].RegNet.Loss)
		}
	}
	if len(names) != 12 || !names["regnet.loss=l2,regnet.dropout=0.25,seed=2"] {
		t.Errorf("cell names %v", names)
	}
}

func TestSweepRejectsBadCells(t *testing.T) {
	for _, ax := range []results.Axis{{Key: "regnet.los", Values: []string{"l1"}}, {Key: "regnet.loss", Values: []string{"l3"}}} {
		sw := results.Sweep{BaseConfig: "../../configs/ci.yaml", Grid: []results.Axis{ax}}
		if _, err := ExpandSweep(&sw, nil); err == nil || !strings.Contains(err.Error(), "regnet.los") {
			t.Errorf("grid %v: error %v", ax, err)
		}
	}
}

func TestSweepLinkedKeysMoveTogether(t *testing.T) {
	sw := results.Sweep{BaseConfig: "../../configs/ci.yaml", Grid: []results.Axis{
		{Key: "data.size+data.spacing_mm", Values: []string{"32+3", "64+1.5"}},
	}, Seeds: []uint64{1}}
	cfgs, err := ExpandSweep(&sw, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfgs) != 2 {
		t.Fatalf("%d cells, want 2 (linked keys are one axis)", len(cfgs))
	}
	for i, want := range []struct {
		size    int
		spacing float64
	}{{32, 3}, {64, 1.5}} {
		if cfgs[i].Data.Size != want.size || cfgs[i].Data.SpacingMM != want.spacing {
			t.Errorf("cell %s: size %d spacing %g, want %d and %g", sw.Cells[i].Name, cfgs[i].Data.Size, cfgs[i].Data.SpacingMM, want.size, want.spacing)
		}
	}
	sw.Grid[0].Values = []string{"64"}
	if _, err := ExpandSweep(&sw, nil); err == nil || !strings.Contains(err.Error(), "data.size+data.spacing_mm") {
		t.Errorf("a value without one part per linked key: error %v", err)
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

func TestShippedAblationsExpand(t *testing.T) {
	paths, _ := filepath.Glob("../../configs/ablations/*.yaml")
	if len(paths) < 8 {
		t.Fatalf("found %d ablation sweeps, want 8", len(paths))
	}
	for _, p := range paths {
		sw, err := ReadSweepFile(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		cfgs, err := ExpandSweep(&sw, nil)
		if err != nil || len(cfgs) < 2 {
			t.Errorf("%s: %d cells, %v", p, len(cfgs), err)
		}
	}
}
