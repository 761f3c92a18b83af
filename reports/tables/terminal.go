package tables

import (
	"io"
	"strings"
	"unicode/utf8"
)

// Width is the widest line segqa prints on a terminal. Tables wider than
// this go whole to report.md, report.html and the CSV files; on the
// terminal they are compact (plain).
const Width = 100

// plain is a table as segqa prints it on a terminal, in the manner of
// benchstat: no boxes, a header line, columns two spaces apart, numbers
// right-aligned; then what its short names stand for (legend) and what
// its columns hold (notes). A cell may hold "\n" for a second line. A table
// wider than Width is printed in blocks of columns that fit, each led by
// the keys columns that name its rows; titles, legends and notes are
// wrapped to Width.
type plain struct {
	title  string // above the table; "\n" starts a new line
	header []string
	rows   [][]string
	keys   int // leading columns that name a row, repeated in each block
	legend []term
	notes  []string // sentences under the legend
}

// term is a short name and what it stands for.
type term struct{ name, meaning string }

// gap separates the columns of a plain table.
const gap = "  "

// write renders t without a blank line after it.
func (t plain) write(w io.Writer) error {
	var b strings.Builder
	for _, line := range strings.Split(t.title, "\n") {
		if line != "" {
			writeWrapped(&b, line, "", "")
		}
	}
	t.writeBlocks(&b)
	writeLegend(&b, t.legend)
	for _, n := range t.notes {
		writeWrapped(&b, n, "", "  ")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeBlocks writes the header and rows in as many blocks of columns as
// it takes to fit Width, a blank line between two blocks.
func (t plain) writeBlocks(b *strings.Builder) {
	if len(t.header) == 0 {
		return
	}
	widths := make([]int, len(t.header))
	for j, h := range t.header {
		widths[j] = cellWidth(h)
	}
	for _, row := range t.rows {
		for j := 0; j < len(row) && j < len(widths); j++ {
			widths[j] = max(widths[j], cellWidth(row[j]))
		}
	}
	right := rightAligned(len(t.header), t.rows)
	keys := min(max(t.keys, 1), len(t.header))
	for i, cols := range blocks(widths, keys) {
		if i > 0 {
			b.WriteString("\n")
		}
		writeLine(b, t.header, cols, widths, right)
		for _, row := range t.rows {
			writeLine(b, row, cols, widths, right)
		}
	}
}

// blocks splits the columns after the first keys into runs that fit Width
// beside the keys columns; a column too wide for any block has one of its
// own.
func blocks(widths []int, keys int) [][]int {
	lead := make([]int, keys)
	used := -len(gap)
	for j := range keys {
		lead[j] = j
		used += len(gap) + widths[j]
	}
	var out [][]int
	cols, width := lead, used
	for j := keys; j < len(widths); j++ {
		if width+len(gap)+widths[j] > Width && len(cols) > keys {
			out = append(out, cols)
			cols, width = lead, used
		}
		cols = append(cols[:len(cols):len(cols)], j)
		width += len(gap) + widths[j]
	}
	return append(out, cols)
}

// writeLine writes the columns cols of row, as many lines as its tallest
// cell, without trailing blanks.
func writeLine(b *strings.Builder, row []string, cols, widths []int, right []bool) {
	lines := 1
	for _, j := range cols {
		if j < len(row) {
			lines = max(lines, strings.Count(row[j], "\n")+1)
		}
	}
	for k := range lines {
		var line strings.Builder
		for i, j := range cols {
			cell := ""
			if j < len(row) {
				if parts := strings.Split(row[j], "\n"); k < len(parts) {
					cell = parts[k]
				}
			}
			if i > 0 {
				line.WriteString(gap)
			}
			pad := strings.Repeat(" ", widths[j]-utf8.RuneCountInString(cell))
			if right[j] {
				line.WriteString(pad + cell)
			} else {
				line.WriteString(cell + pad)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}

// cellWidth is the width of a cell's widest line.
func cellWidth(cell string) int {
	n := 0
	for _, line := range strings.Split(cell, "\n") {
		n = max(n, utf8.RuneCountInString(line))
	}
	return n
}

// writeLegend writes each term on a line of its own, indented, as
// "name = meaning", the meanings aligned and wrapped under themselves.
func writeLegend(b *strings.Builder, legend []term) {
	width := 0
	for _, t := range legend {
		width = max(width, utf8.RuneCountInString(t.name))
	}
	for _, t := range legend {
		first := "  " + t.name + strings.Repeat(" ", width-utf8.RuneCountInString(t.name)) + " = "
		writeWrapped(b, t.meaning, first, strings.Repeat(" ", utf8.RuneCountInString(first)))
	}
}

// writeWrapped writes text in lines of at most Width columns, broken
// between words: the first line after first, the others after indent. A
// word longer than a line has a line of its own.
func writeWrapped(b *strings.Builder, text, first, indent string) {
	line, n, empty := first, utf8.RuneCountInString(first), true
	for _, word := range strings.Fields(text) {
		k := utf8.RuneCountInString(word)
		if !empty && n+1+k > Width {
			b.WriteString(line + "\n")
			line, n, empty = indent, utf8.RuneCountInString(indent), true
		}
		if !empty {
			line += " "
			n++
		}
		line += word
		n += k
		empty = false
	}
	b.WriteString(line + "\n")
}

// writeTables writes each table's terminal form, a blank line between two.
func writeTables(w io.Writer, ts ...terminalTable) error {
	for i, t := range ts {
		if i > 0 {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
		if err := t.Terminal(w); err != nil {
			return err
		}
	}
	return nil
}

// Terminal writes t; plain is also a terminal table of its own.
func (t plain) Terminal(w io.Writer) error { return t.write(w) }
