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

// TestSweepListsInvalidCells expands a grid with an invalid value and an
// unknown key: every cell is listed, named with its seed, and only the
// invalid ones carry an error naming the key.
func TestSweepListsInvalidCells(t *testing.T) {
	sw := results.Sweep{BaseConfig: "../../configs/ci.yaml", Grid: []results.Axis{{Key: "regnet.loss", Values: []string{"l1", "bogus"}}}}
	cfgs, invalid, err := ExpandSweepCells(&sw, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfgs) != 2 || len(sw.Cells) != 2 || len(invalid) != 2 {
		t.Fatalf("%d configs, %d cells, %d errors; want 2 of each", len(cfgs), len(sw.Cells), len(invalid))
	}
	if invalid[0] != nil || cfgs[0].RegNet.Loss != "l1" {
		t.Errorf("the valid cell: %v, loss %q", invalid[0], cfgs[0].RegNet.Loss)
	}
	if invalid[1] == nil || !strings.Contains(invalid[1].Error(), `regnet.loss: must be one of l1, l2, got "bogus"`) {
		t.Errorf("the invalid cell: %v", invalid[1])
	}
	if sw.Cells[1].Name != "regnet.loss=bogus,seed=1" {
		t.Errorf("the invalid cell is named %q, want its seed like the others'", sw.Cells[1].Name)
	}
	if _, err := ExpandSweep(&sw, nil); err == nil || !strings.Contains(err.Error(), "sweep cell regnet.loss=bogus,seed=1: ") {
		t.Errorf("ExpandSweep: %v, want the sweep refused naming the cell", err)
	}

	sw = results.Sweep{BaseConfig: "../../configs/ci.yaml", Grid: []results.Axis{{Key: "regnet.los", Values: []string{"l1"}}, {Key: "regnet.loss", Values: []string{"l2"}}}, Seeds: []uint64{4}}
	if _, invalid, err = ExpandSweepCells(&sw, nil); err != nil || len(invalid) != 1 || invalid[0] == nil || sw.Cells[0].Name != "regnet.los=l1,regnet.loss=l2,seed=4" {
		t.Errorf("an unknown key: %v, %v, cells %v", err, invalid, sw.Cells)
	}
	sw = results.Sweep{BaseConfig: "../../configs/ci.yaml", Grid: []results.Axis{{Key: "regnet.loss", Values: []string{"l1", "l2"}}}}
	if _, invalid, err = ExpandSweepCells(&sw, nil); err != nil || invalid != nil {
		t.Errorf("a valid grid: %v, %v", err, invalid)
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
