package tables

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/segqa/segqa/harness/shared/results"
)

// PrintRun prints, for a terminal, the tables of a run's stages that
// stages names (all when empty), from the results the run published in
// DIR/results, a blank line between two: Table 1, its quality-control
// figures, its intervals' coverage (with its interval, and per group),
// failure detection on eval.band and its REG-Nets' input sensitivity;
// Table 2 (once, the paper's
// rows first), the attacks' budgets, the masking checks, the claims and the
// quality-control figures under attack; and the certified decisions when
// the certify stage wrote any. Every line fits Width.
func PrintRun(w io.Writer, dir string, stages []results.StageName) error {
	runs := func(s results.StageName) bool { return len(stages) == 0 || slices.Contains(stages, s) }
	var out []terminalTable
	if runs(results.StageTable1) {
		t, err := readResult(dir, results.Table1File, results.ReadTable1)
		if err != nil {
			return err
		}
		out = append(out, Table1(t))
		out = append(out, table1Calibration(t)...)
		if t.HasSensitivity() {
			out = append(out, Sensitivity(t))
		}
	}
	if runs(results.StageTable2) {
		t, err := readResult(dir, results.Table2File, results.ReadTable2)
		if err != nil {
			return err
		}
		out = append(out, table2Parts(t)...)
	}
	if runs(results.StageCertify) {
		t, err := readResult(dir, results.CertifiedFile, results.ReadCertified)
		switch {
		case err == nil:
			out = append(out, Certified(t))
		case !os.IsNotExist(err): // no file: certify.enabled is false
			return err
		}
	}
	return writeTables(w, out...)
}

// terminalTable is a table with a terminal form.
type terminalTable interface{ Terminal(io.Writer) error }

// table2Parts are the terminal tables of t: Table 2, the attacks'
// budgets, the masking checks, the claims, and the QC figures, on the
// whole test pool and on eval.band.
func table2Parts(t results.Table2) []terminalTable {
	out := []terminalTable{Table2(t)}
	if t.HasBudget() {
		out = append(out, budgetTerminal(t))
	}
	if len(t.Masking) > 0 {
		out = append(out, maskingTerminal(t.Masking))
	}
	out = append(out, claimsTable(t.Claims()))
	if t.HasQC() {
		out = append(out, Table2QC(t)) // with failure detection on eval.band
	}
	return out
}

// claimsTable is the claims as a terminal table (ClaimsTerminal).
type claimsTable []results.Claim

func (c claimsTable) Terminal(w io.Writer) error { return ClaimsTerminal(w, c) }

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
