package results

import "io"

// Tabular is one of the table shapes: Table, Table1 or Table2.
type Tabular interface {
	JSON(w io.Writer) error
}

// Table is a free-form table of strings: results/zoo.json, the score of
// one image, the ablations of a report. Cells may hold "\n" for a second
// line.
type Table struct {
	Title  string     `json:"title"`
	Header []string   `json:"header"`
	Rows   [][]string `json:"rows"`
}

// JSON writes {"title": …, "header": […], "rows": [[…]]}.
func (t Table) JSON(w io.Writer) error {
	if t.Header == nil {
		t.Header = []string{}
	}
	if t.Rows == nil {
		t.Rows = [][]string{}
	}
	return writeJSON(w, t)
}
