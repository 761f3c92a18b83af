package results

import (
	"encoding/json"
	"fmt"
	"io"
)

// Table1ID identifies a row of Table 1: a REG-Net's by its input kind
// (Input.Table1ID), the agreement baseline's Table1Agreement. It is what
// the paper's figures, seed aggregation and seed pairing find a row by;
// the row's Method and Input are labels for people. Its values are
// written to results/table1.json: never change one.
type Table1ID string

// Table1Agreement is the agreement baseline's row of Table 1.
const Table1Agreement Table1ID = "agreement"

// Table1ID is the Table 1 row of the REG-Net of input in.
func (in Input) Table1ID() Table1ID { return Table1ID(in) }

// Table1Row is one regressor's accuracy on the test pool without attack.
// PaperMAE and PaperStd are the published figures for the same row (zero
// when the paper has none).
type Table1Row struct {
	ID         Table1ID
	Method     string // e.g. MethodBaseline or MethodProposed
	Input      string // the network's input, e.g. InputXS.Channels()
	MAE        float64
	Std        float64 // standard deviation of the absolute errors
	N          int     // test samples
	Pearson    float64
	Accuracy07 float64 // accuracy of the prediction Dice < 0.7
	PaperMAE   float64
	PaperStd   float64
	// QC is failure detection and the conformal interval's coverage; nil
	// in runs before segqa measured them.
	QC *QC
	// Sensitivity is how the REG-Net's predictions move when its image
	// input is replaced; nil for a network without one (InputS), for the
	// agreement baseline and in runs before segqa measured it.
	Sensitivity *Sensitivity
}

// HasPaper reports whether the row carries the paper's figures.
func (r Table1Row) HasPaper() bool { return r.PaperMAE != 0 || r.PaperStd != 0 }

// Table1 is results/table1.json: the paper's Table 1, MAE of predicted
// Dice without attack.
type Table1 struct {
	Rows []Table1Row
}

type table1JSONRow struct {
	ID         Table1ID `json:"id,omitempty"` // absent in runs before rows had IDs
	Method     string   `json:"method"`
	Input      string   `json:"input"`
	MAE        Number   `json:"mae"`
	Std        Number   `json:"std"`
	N          int      `json:"n"`
	Pearson    Number   `json:"pearson"`
	Accuracy07 Number   `json:"accuracy_07"`
	PaperMAE   *Number  `json:"paper_mae,omitempty"`
	PaperStd   *Number  `json:"paper_std,omitempty"`
	qcJSON
	Sensitivity *sensitivityJSON `json:"sensitivity,omitempty"`
}

type table1JSON struct {
	Rows []table1JSONRow `json:"rows"`
}

// JSON writes t as results/table1.json.
func (t Table1) JSON(w io.Writer) error {
	rows := make([]table1JSONRow, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = table1JSONRow{
			ID: r.ID, Method: r.Method, Input: r.Input, MAE: Number(r.MAE), Std: Number(r.Std), N: r.N,
			Pearson: Number(r.Pearson), Accuracy07: Number(r.Accuracy07),
			qcJSON: r.QC.toJSON(), Sensitivity: r.Sensitivity.toJSON(),
		}
		if r.HasPaper() {
			m, s := Number(r.PaperMAE), Number(r.PaperStd)
			rows[i].PaperMAE, rows[i].PaperStd = &m, &s
		}
	}
	return writeJSON(w, table1JSON{rows})
}

// ReadTable1 reads what Table1.JSON writes.
func ReadTable1(r io.Reader) (Table1, error) {
	var t Table1
	if err := json.NewDecoder(r).Decode(&t); err != nil {
		return Table1{}, fmt.Errorf("read Table 1: %w", err)
	}
	return t, nil
}

// UnmarshalJSON implements json.Unmarshaler for what Table1.JSON writes.
func (t *Table1) UnmarshalJSON(b []byte) error {
	var raw table1JSON
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	t.Rows = nil
	for _, r := range raw.Rows {
		if r.ID == "" {
			r.ID = legacyTable1ID(r.Method, r.Input)
		}
		row := Table1Row{
			ID: r.ID, Method: r.Method, Input: r.Input, MAE: float64(r.MAE), Std: float64(r.Std), N: r.N,
			Pearson: float64(r.Pearson), Accuracy07: float64(r.Accuracy07),
			QC: r.qcJSON.qc(), Sensitivity: r.Sensitivity.sensitivity(),
		}
		if r.PaperMAE != nil && r.PaperStd != nil {
			row.PaperMAE, row.PaperStd = float64(*r.PaperMAE), float64(*r.PaperStd)
		}
		t.Rows = append(t.Rows, row)
	}
	return nil
}

// legacyTable1ID is the ID of a row of a results/table1.json written
// before rows carried one, from its labels as written then: the agreement
// baseline's method, or a REG-Net's input. A label segqa never wrote keeps
// itself as its ID.
func legacyTable1ID(method, input string) Table1ID {
	if method == MethodAgreement {
		return Table1Agreement
	}
	for _, in := range Inputs {
		if in.Channels() == input {
			return in.Table1ID()
		}
	}
	return Table1ID(method + " (" + input + ")")
}

// Row returns the row with ID id, or nil.
func (t Table1) Row(id Table1ID) *Table1Row {
	for i := range t.Rows {
		if t.Rows[i].ID == id {
			return &t.Rows[i]
		}
	}
	return nil
}
