package results

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
)

// rowsSinceIDs are the rows segqa added after Table 2's rows carried IDs:
// no file without IDs has them, so they have no legacy label.
var rowsSinceIDs = []RowID{RowSegmentationNone}

// TestLegacyRowIDs: every row segqa computes has a frozen legacy label
// (its label today, as files without IDs wrote it) but those added since
// (rowsSinceIDs), every legacy label names a row segqa knows, and no two
// labels share an ID.
func TestLegacyRowIDs(t *testing.T) {
	byID := map[RowID]string{}
	for label, id := range legacyRowIDs {
		if _, ok := rowLabels[id]; !ok {
			t.Errorf("legacy label %q maps to %q, which has no labels", label, id)
		}
		if other, dup := byID[id]; dup {
			t.Errorf("labels %q and %q both map to %q", label, other, id)
		}
		byID[id] = label
	}
	for id, l := range rowLabels {
		if slices.Contains(rowsSinceIDs, id) {
			continue
		}
		if label, ok := byID[id]; !ok {
			t.Errorf("row %q has no legacy label", id)
		} else if label != l.Attack {
			t.Logf("row %q: label %q today, %q in files without IDs", id, l.Attack, label)
		}
	}
	for label, want := range map[string]RowID{
		"FGSM on x": RowBaselineFGSMx, "FGSM on d": RowProposedFGSMd, "FGSM on x, transferred": RowProposedTransfer,
		"worst case of the attacks on x through REC-Net (ensemble)": RowProposedWorstx,
		"PGD on x through the reference U-Nets":                     RowAgreementPGDx,
	} {
		if got, err := legacyRowID(label); got != want || err != nil {
			t.Errorf("legacyRowID(%q) = %q, %v; want %q", label, got, err, want)
		}
	}
}

// TestReadTable2WithoutIDs: a file written before rows had IDs reads with
// the IDs of its labels, its masking check's row too; an unknown label is
// an error.
func TestReadTable2WithoutIDs(t *testing.T) {
	old := `{"rows":[
	  {"method":"Robinson et al.","input":"x_adv, s","attack":"FGSM on x","eps":[0.1],"mae":[0.2],"std":[0.1],"n":5},
	  {"method":"Robinson et al.","input":"x_adv, s","attack":"SignHunter on x (gradient-free)","eps":[0.1],"mae":[0.3],"std":[0.1],"n":5}],
	 "masking":[{"network":"xs","eps":0.1,"free_attack":"SignHunter on x (gradient-free)"}]}`
	got, err := ReadTable2(strings.NewReader(old))
	if err != nil {
		t.Fatal(err)
	}
	if got.Row(RowBaselineFGSMx) == nil || got.Row(RowBaselineHuntx) == nil || got.Masking[0].FreeRow != RowBaselineHuntx {
		t.Errorf("rows %+v, masking %+v", got.Rows, got.Masking)
	}
	unknown := strings.Replace(old, `"attack":"FGSM on x"`, `"attack":"FGSM on x, renamed"`, 1)
	if _, err := ReadTable2(strings.NewReader(unknown)); !errors.Is(err, ErrUnknownRow) {
		t.Errorf("unknown label read with error %v, want ErrUnknownRow", err)
	}
	withID := strings.Replace(old, `"attack":"FGSM on x"`, `"id":"baseline_fgsm_x","attack":"FGSM on x, renamed"`, 1)
	if got, err := ReadTable2(strings.NewReader(withID)); err != nil || got.Row(RowBaselineFGSMx).Attack != "FGSM on x, renamed" {
		t.Errorf("a renamed label with its ID: %+v, %v", got.Rows, err)
	}
}

// TestTable2NeedsDistinctIDs: Check and JSON refuse a row without an ID
// and two rows with one.
func TestTable2NeedsDistinctIDs(t *testing.T) {
	row := func(id RowID) Table2Row {
		r := id.Row()
		r.Eps, r.MAE, r.Std = []float64{0.1}, []float64{0.2}, []float64{0}
		return r
	}
	for name, tab := range map[string]Table2{
		"no ID":     {Rows: []Table2Row{row("")}},
		"duplicate": {Rows: []Table2Row{row(RowBaselineFGSMx), row(RowProposedFGSMd), row(RowBaselineFGSMx)}},
	} {
		if err := tab.JSON(&bytes.Buffer{}); !errors.Is(err, ErrRowID) {
			t.Errorf("%s: JSON error %v, want ErrRowID", name, err)
		}
	}
	if l := RowProposedTransfer.Row(); l.Method != MethodProposed || l.Input != TransferredDS || l.Attack != AttackTransfer {
		t.Errorf("RowProposedTransfer.Row() = %+v", l)
	}
}

// TestPaperRows: the paper's rows are found by ID, whatever their place.
func TestPaperRows(t *testing.T) {
	var tab Table2
	for _, id := range []RowID{RowBaselinePGDx, RowProposedTransfer, RowBaselineFGSMx, RowBaselineWorstx, RowProposedFGSMd} {
		tab.Rows = append(tab.Rows, id.Row())
	}
	paper, extended := tab.PaperRows()
	ids := func(rows []Table2Row) (out []RowID) {
		for _, r := range rows {
			out = append(out, r.ID)
		}
		return out
	}
	if got := ids(paper); len(got) != 3 || got[0] != RowProposedTransfer || got[1] != RowBaselineFGSMx || got[2] != RowProposedFGSMd {
		t.Errorf("paper rows %v", got)
	}
	if got := ids(extended); len(got) != 2 || got[0] != RowBaselinePGDx || got[1] != RowBaselineWorstx {
		t.Errorf("extended rows %v", got)
	}
}
