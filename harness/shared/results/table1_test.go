package results_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/shared/results"
)

// TestTable1IDs: Table 1's rows are written and read back with their IDs,
// whatever their labels say; a file written before rows had IDs gets them
// from its labels; and the paper's figures follow the ID.
func TestTable1IDs(t *testing.T) {
	in := results.Table1{Rows: []results.Table1Row{
		{ID: results.InputDS.Table1ID(), Method: "renamed", Input: "d, s", MAE: 0.1, N: 1},
		{ID: results.InputS.Table1ID(), Method: results.MethodSegmentation, Input: "s", MAE: 0.2, N: 1},
	}}.WithPaper(results.PaperTable1())
	if r := in.Row(results.InputDS.Table1ID()); r.PaperMAE != 0.04 || in.Row(results.InputS.Table1ID()).HasPaper() {
		t.Errorf("the paper's figures by ID: %+v", in.Rows)
	}
	var b bytes.Buffer
	if err := in.JSON(&b); err != nil {
		t.Fatal(err)
	}
	got, err := results.ReadTable1(&b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rows[0].ID != "ds" || got.Rows[0].Method != "renamed" || got.Rows[1].ID != "s" {
		t.Errorf("read back %+v", got.Rows)
	}
	legacy := `{"rows": [{"method": "Robinson et al.", "input": "x, s", "mae": 0.1, "std": 0.1, "n": 1, "pearson": null, "accuracy_07": null},
		{"method": "ablation", "input": "x, d, s", "mae": 0.1, "std": 0.1, "n": 1, "pearson": null, "accuracy_07": null},
		{"method": "agreement", "input": "x, s (vote of 3 U-Nets)", "mae": 0.1, "std": 0.1, "n": 1, "pearson": null, "accuracy_07": null}]}`
	old, err := results.ReadTable1(strings.NewReader(legacy))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []results.Table1ID{"xs", "xds", results.Table1Agreement} {
		if old.Rows[i].ID != want {
			t.Errorf("legacy row %d: ID %q, want %q", i, old.Rows[i].ID, want)
		}
	}
}
