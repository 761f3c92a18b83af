package tables

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/segqa/segqa/harness/results"
)

// PrintRun prints, for a terminal, the tables of a run's stages that
// stages names (all when empty), from the results the run published in
// DIR/results: Table 1 and its REG-Nets' input sensitivity; Table 2 with
// its extended rows, budgets, masking checks, the paper's claims and the
// quality-control figures; and the certified decisions when the certify
// stage wrote any.
func PrintRun(w io.Writer, dir string, stages []results.Stage) error {
	runs := func(s results.Stage) bool { return len(stages) == 0 || slices.Contains(stages, s) }
	if runs(results.StageTable1) {
		t, err := readResult(dir, results.Table1File, results.ReadTable1)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, "Table 1: MAE of predicted Dice on the test pool (no attack)")
		if err := Write(w, "txt", t); err != nil {
			return err
		}
		if t.HasSensitivity() {
			if err := Write(w, "txt", results.Table1Sensitivity(t)); err != nil {
				return err
			}
		}
	}
	if runs(results.StageTable2) {
		t, err := readResult(dir, results.Table2File, results.ReadTable2)
		if err != nil {
			return err
		}
		if err := printTable2(w, t); err != nil {
			return err
		}
	}
	if !runs(results.StageCertify) {
		return nil
	}
	t, err := readResult(dir, results.CertifiedFile, results.ReadCertified)
	if os.IsNotExist(err) {
		return nil // certify.enabled is false
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "Certified: median smoothing of each method under Gaussian noise on x")
	return Write(w, "txt", t)
}

// printTable2 prints the paper's rows of t, then the extended rows, the
// attacks' budgets, the masking checks, the claims and the QC figures.
func printTable2(w io.Writer, t results.Table2) error {
	paper, added := t.PaperRows()
	fmt.Fprintln(w, "Table 2: MAE of predicted Dice on the test pool under attack")
	if err := Write(w, "txt", results.Table2{Rows: paper, Spreads: t.Spreads}); err != nil {
		return err
	}
	if len(added) > 0 {
		fmt.Fprintln(w, "Table 2, extended: iterative and adaptive attacks")
		extended := t
		extended.Spreads = nil // said under the paper's rows
		if err := Write(w, "txt", extended); err != nil {
			return err
		}
	}
	if t.HasBudget() {
		if err := Write(w, "txt", results.Table2Budget(t)); err != nil {
			return err
		}
	}
	if len(t.Masking) > 0 {
		if err := Write(w, "txt", results.MaskingChecks(t.Masking)); err != nil {
			return err
		}
	}
	if err := Write(w, "txt", results.Claims(t.Claims())); err != nil {
		return err
	}
	if !t.HasQC() {
		return nil
	}
	return Write(w, "txt", results.Table2QC(t))
}

// readResult reads the results file name of the run in dir.
func readResult[T any](dir, name string, read func(io.Reader) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return zero, err
	}
	defer f.Close()
	t, err := read(f)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", f.Name(), err)
	}
	return t, nil
}
