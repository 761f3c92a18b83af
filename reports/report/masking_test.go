package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
)

// TestMaskingSweepSection: in a sweep over regnet.adversarial, each
// defended cell's masking check is judged with the power of the same
// seed's undefended cell, not the reference its run recorded: a seed whose
// undefended check lacks power turns "no masking detected" into
// "inconclusive", and a seed is never paired with another seed's cell.
func TestMaskingSweepSection(t *testing.T) {
	dir := t.TempDir()
	type check struct{ free, gradient float64 }
	cells := []struct {
		adversarial string
		seed        uint64
		check       check
	}{
		{"none", 1, check{0.02, 0.20}}, // power 0.1: the check is weak on seed 1
		{"none", 2, check{0.15, 0.20}}, // power 0.75
		{"pgd", 1, check{0.004, 0.006}},
		{"pgd", 2, check{0.006, 0.008}},
	}
	sw := results.Sweep{BaseConfig: "configs/quick.yaml", Grid: []results.Axis{{Key: adversarialKey, Values: []string{"none", "pgd"}}}, Seeds: []uint64{1, 2}}
	for _, c := range cells {
		name := adversarialKey + "=" + c.adversarial + ",seed=" + map[uint64]string{1: "1", 2: "2"}[c.seed]
		cellDir := "cells/" + name
		sw.Cells = append(sw.Cells, results.Cell{Name: name, Settings: map[string]string{adversarialKey: c.adversarial}, Seed: c.seed, Dir: cellDir})
		m := results.Masking{Network: results.InputXS, Eps: 0.1, FreeRow: results.RowBaselineHuntx, FreeAttack: results.AttackHuntX,
			FreeDamage: c.check.free, GradientDamage: c.check.gradient}
		if c.adversarial == "none" {
			m = m.Against(m, results.PowerThisRun)
		} else { // as a run records it: the reference of quick.yaml
			m = m.Against(results.Masking{FreeDamage: 0.13, GradientDamage: 0.22}, results.PowerQuickYAML)
		}
		if c.adversarial == "pgd" && m.Verdict != results.VerdictNoMasking {
			t.Fatalf("fixture: the run's own verdict should be %q, got %q", results.VerdictNoMasking, m.Verdict)
		}
		t2 := results.Table2{Masking: []results.Masking{m}}
		if err := run.WriteAtomic(filepath.Join(dir, filepath.FromSlash(cellDir), filepath.FromSlash(results.Table2File)), t2.JSON); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := json.Marshal(sw)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, results.SweepFile), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	md := render(t, dir, false)
	for _, want := range []string{
		"## Gradient masking per setting",
		"| regnet.adversarial=none | Robinson et al. (x, s) | 0.1 | 2 | 0.085 ± 0.092 | 0.200 ± 0.000 | 0.425 ± 0.460 | " + results.PowerThisRun + " | " +
			results.VerdictInconclusive + " (1 of 2); " + results.VerdictNoMasking + " (1 of 2) |",
		"| regnet.adversarial=pgd | Robinson et al. (x, s) | 0.1 | 2 | 0.005 ± 0.001 | 0.007 ± 0.001 | 0.425 ± 0.460 | the same seed's regnet.adversarial=none cell | " +
			results.VerdictInconclusive + " (1 of 2); " + results.VerdictNoMasking + " (1 of 2) |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	if t.Failed() {
		i := strings.Index(md, "## Gradient masking")
		t.Logf("report section:\n%s", md[max(i, 0):min(max(i, 0)+1500, len(md))])
	}
}
