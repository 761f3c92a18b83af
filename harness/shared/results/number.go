package results

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
)

// Dash stands for a number that was not measured or not reported, in
// every table and text segqa writes.
const Dash = "—"

// FormatP formats a p-value with three significant digits, in scientific
// notation below 1e-4 (e.g. 0.0742, 3.2e-05), or Dash for NaN: every
// p-value segqa writes, in a claim's evidence or a report's table.
func FormatP(p float64) string {
	if math.IsNaN(p) {
		return Dash
	}
	if p < 1e-4 {
		return strconv.FormatFloat(p, 'e', 2, 64)
	}
	return strconv.FormatFloat(p, 'g', 3, 64)
}

// Number is a float64 that marshals NaN and ±Inf as JSON null and reads
// null back as NaN ("not measured").
type Number float64

// MarshalJSON implements json.Marshaler.
func (x Number) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(f)
}

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

func numbers(xs []float64) []Number {
	if xs == nil {
		return nil
	}
	out := make([]Number, len(xs))
	for i, x := range xs {
		out[i] = Number(x)
	}
	return out
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

func numberOrNil(x float64) *Number {
	if math.IsNaN(x) {
		return nil
	}
	n := Number(x)
	return &n
}

func orNaN(x *Number) float64 {
	if x == nil {
		return math.NaN()
	}
	return float64(*x)
}

func nonNil(xs []float64) []float64 {
	if xs == nil {
		return []float64{}
	}
	return xs
}

// writeJSON writes v as indented JSON followed by a newline, the form of
// every table file.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("results: json: %w", err)
	}
	return nil
}
