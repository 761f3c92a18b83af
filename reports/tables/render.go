package tables

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/segqa/segqa/harness/shared/results"
)

// Fixed formats x with decimals decimals, or results.Dash for NaN: every
// number in segqa's tables and reports.
func Fixed(x float64, decimals int) string {
	if math.IsNaN(x) {
		return results.Dash
	}
	return strconv.FormatFloat(x, 'f', decimals, 64)
}

// PM formats "mean ± std" with decimals decimals; a NaN std leaves the mean
// alone, a NaN mean is results.Dash.
func PM(mean, std float64, decimals int) string {
	if math.IsNaN(mean) {
		return results.Dash
	}
	if math.IsNaN(std) {
		return Fixed(mean, decimals)
	}
	return Fixed(mean, decimals) + " ± " + Fixed(std, decimals)
}

// Signed formats a difference with its sign ("+" for 0 and above) and
// decimals decimals, or results.Dash for NaN.
func Signed(x float64, decimals int) string {
	if math.IsNaN(x) {
		return results.Dash
	}
	s := strconv.FormatFloat(x, 'f', decimals, 64)
	if !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	return s
}

// num formats x with two decimals, the paper's precision.
func num(x float64) string { return Fixed(x, 2) }

// full formats x at full precision for CSV.
func full(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// numeric reports whether a cell reads as a number (or results.Dash), so that its
// column is right-aligned.
func numeric(cell string) bool {
	s := strings.TrimLeft(cell, "+-.")
	if s == "" {
		return false
	}
	r := []rune(s)[0]
	return unicode.IsDigit(r) || s == results.Dash || strings.HasPrefix(s, "NaN")
}

// rightAligned reports, per column, whether every non-empty cell is numeric.
func rightAligned(ncol int, rows [][]string) []bool {
	right := make([]bool, ncol)
	for j := range right {
		seen := false
		right[j] = true
		for _, row := range rows {
			if j >= len(row) || row[j] == "" {
				continue
			}
			seen = true
			if !numeric(row[j]) {
				right[j] = false
				break
			}
		}
		right[j] = right[j] && seen
	}
	return right
}

// markdown writes a pipe table; a newline inside a cell becomes a space and
// a pipe is escaped. A non-empty title is written in bold above the table.
func markdown(w io.Writer, title string, header []string, rows [][]string) error {
	var b strings.Builder
	if title != "" {
		fmt.Fprintf(&b, "**%s**\n\n", mdCell(title))
	}
	writeMDRow(&b, header)
	b.WriteString("|")
	for _, r := range rightAligned(len(header), rows) {
		if r {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
	for _, row := range rows {
		writeMDRow(&b, row)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMDRow(b *strings.Builder, cells []string) {
	b.WriteString("|")
	for _, c := range cells {
		b.WriteString(" " + mdCell(c) + " |")
	}
	b.WriteString("\n")
}

func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

// writeCSV writes the header and rows with encoding/csv.
func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("tables: csv: %w", err)
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("tables: csv: %w", err)
	}
	return nil
}
