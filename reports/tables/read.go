package tables

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
)

// UnmarshalJSON implements json.Unmarshaler: null reads as NaN.
func (x *Number) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*x = Number(math.NaN())
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*x = Number(f)
	return nil
}

func floats(xs []Number) []float64 {
	if xs == nil {
		return nil
	}
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}

// ReadTable1 reads what Table1.JSON writes.
func ReadTable1(r io.Reader) (Table1, error) {
	var t Table1
	if err := json.NewDecoder(r).Decode(&t); err != nil {
		return Table1{}, fmt.Errorf("tables: read Table 1: %w", err)
	}
	return t, nil
}

// UnmarshalJSON implements json.Unmarshaler for what Table1.JSON writes.
func (t *Table1) UnmarshalJSON(b []byte) error {
	var raw struct {
		Rows []table1JSONRow `json:"rows"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	t.Rows = nil
	for _, r := range raw.Rows {
		row := Table1Row{
			Method: r.Method, Input: r.Input, MAE: float64(r.MAE), Std: float64(r.Std), N: r.N,
			Pearson: float64(r.Pearson), Accuracy07: float64(r.Accuracy07),
		}
		if r.PaperMAE != nil && r.PaperStd != nil {
			row.PaperMAE, row.PaperStd = float64(*r.PaperMAE), float64(*r.PaperStd)
		}
		t.Rows = append(t.Rows, row)
	}
	return nil
}

// ReadTable2 reads what Table2.JSON writes.
func ReadTable2(r io.Reader) (Table2, error) {
	var t Table2
	if err := json.NewDecoder(r).Decode(&t); err != nil {
		return Table2{}, fmt.Errorf("tables: read Table 2: %w", err)
	}
	return t, nil
}

// UnmarshalJSON implements json.Unmarshaler for what Table2.JSON writes.
func (t *Table2) UnmarshalJSON(b []byte) error {
	var raw table2JSON
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	t.Rows, t.Tie = nil, raw.Tie
	for _, r := range raw.Rows {
		t.Rows = append(t.Rows, Table2Row{
			Method: r.Method, Input: r.Input, Attack: r.Attack, N: r.N,
			Eps: floats(r.Eps), MAE: floats(r.MAE), Std: floats(r.Std),
			CleanMAE: orNaN(r.CleanMAE), CleanStd: orNaN(r.CleanStd),
			PaperMAE: floats(r.PaperMAE), PaperStd: floats(r.PaperStd),
		})
	}
	return t.check()
}

func orNaN(x *Number) float64 {
	if x == nil {
		return math.NaN()
	}
	return float64(*x)
}
