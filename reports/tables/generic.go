package tables

import "io"

// Generic is a free-form table of strings, for ablations and anything that
// is not one of the paper's tables. Cells may hold "\n" for a second line
// in Terminal; Markdown joins the lines with a space.
type Generic struct {
	Title  string
	Header []string
	Rows   [][]string
}

// Terminal draws the title on its own line above a boxed table.
func (g Generic) Terminal(w io.Writer) error {
	return terminal(w, g.Title, g.Header, g.Rows)
}

// Markdown writes the title in bold above a pipe table.
func (g Generic) Markdown(w io.Writer) error {
	return markdown(w, g.Title, g.Header, g.Rows)
}

// CSV writes the header and rows; the title is left out.
func (g Generic) CSV(w io.Writer) error {
	return writeCSV(w, g.Header, g.Rows)
}

// JSON writes {"title": …, "header": […], "rows": [[…]]}.
func (g Generic) JSON(w io.Writer) error {
	header, rows := g.Header, g.Rows
	if header == nil {
		header = []string{}
	}
	if rows == nil {
		rows = [][]string{}
	}
	return writeJSON(w, struct {
		Title  string     `json:"title"`
		Header []string   `json:"header"`
		Rows   [][]string `json:"rows"`
	}{g.Title, header, rows})
}
