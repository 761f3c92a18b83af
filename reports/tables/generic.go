package tables

import (
	"fmt"
	"io"

	"github.com/segqa/segqa/harness/shared/results"
)

// Generic is a free-form table of strings, for ablations and anything that
// is not one of the paper's tables. Cells may hold "\n" for a second line
// in Terminal; Markdown joins the lines with a space.
type Generic results.Table

// Terminal prints the title above a compact table, the first column
// naming the rows (see plain).
func (g Generic) Terminal(w io.Writer) error {
	return plain{title: g.Title, header: g.Header, rows: g.Rows, keys: 1}.write(w)
}

// Markdown writes the title in bold above a pipe table.
func (g Generic) Markdown(w io.Writer) error {
	return markdown(w, g.Title, g.Header, g.Rows)
}

// CSV writes the header and rows; the title is left out.
func (g Generic) CSV(w io.Writer) error {
	return writeCSV(w, g.Header, g.Rows)
}

// JSON writes {"title": …, "header": […], "rows": [[…]]} (see
// results.Table.JSON).
func (g Generic) JSON(w io.Writer) error { return results.Table(g).JSON(w) }

// twoForms is a table whose terminal form (short row names, a legend)
// differs from its Markdown and CSV.
type twoForms struct {
	Generic       // Markdown and CSV
	term    plain // Terminal
}

func (t twoForms) Terminal(w io.Writer) error { return t.term.write(w) }

// Write renders a results table in format "txt" (Terminal), "md"
// (Markdown) or "csv": a results.Table, Table1, Table2 or Claims.
func Write(w io.Writer, format string, t results.Tabular) error {
	type renderer interface {
		Terminal(io.Writer) error
		Markdown(io.Writer) error
		CSV(io.Writer) error
	}
	var r renderer
	switch t := t.(type) {
	case results.Table:
		r = Generic(t)
	case results.Table1:
		r = Table1(t)
	case results.Table1Sensitivity:
		r = Sensitivity(results.Table1(t))
	case results.Table2:
		r = Table2(t)
	case results.Table2QC:
		r = Table2QC(t)
	case results.Certified:
		r = Certified(t)
	case results.Table2Budget:
		r = twoForms{Budget(results.Table2(t)), budgetTerminal(results.Table2(t))}
	case results.MaskingChecks:
		r = twoForms{Masking(t), maskingTerminal(t)}
	case results.Claims:
		switch format {
		case "txt":
			return ClaimsTerminal(w, t)
		case "md":
			return ClaimsMarkdown(w, t)
		}
		return fmt.Errorf("tables: claims have no %q form", format)
	default:
		return fmt.Errorf("tables: cannot render a %T", t)
	}
	switch format {
	case "txt":
		return r.Terminal(w)
	case "md":
		return r.Markdown(w)
	case "csv":
		return r.CSV(w)
	}
	return fmt.Errorf("tables: unknown format %q", format)
}
