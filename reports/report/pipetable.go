package report

import (
	"errors"
	"strings"
)

// errPipeTable reports Markdown that is not the pipe table the tables
// package writes.
var errPipeTable = errors.New("report: not a pipe table")

// pipeTable is a parsed Markdown pipe table.
type pipeTable struct {
	title  string // the bold line above the table, if any
	header []string
	right  []bool // per column: right-aligned
	rows   [][]string
}

// parsePipeTable reads what the tables package's Markdown renderers write:
// an optional bold title line, a header row, an alignment row and the
// rows, with "|" inside cells escaped as "\|".
func parsePipeTable(md string) (pipeTable, error) {
	var pt pipeTable
	var lines []string
	for _, line := range strings.Split(md, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasPrefix(line, "|"):
			lines = append(lines, line)
		case len(lines) == 0 && len(line) > 4 && strings.HasPrefix(line, "**") && strings.HasSuffix(line, "**"):
			pt.title = line[2 : len(line)-2]
		default:
			return pt, errPipeTable
		}
	}
	if len(lines) < 2 {
		return pt, errPipeTable
	}
	pt.header = splitRow(lines[0])
	for _, a := range splitRow(lines[1]) {
		pt.right = append(pt.right, strings.HasSuffix(a, ":"))
	}
	for _, line := range lines[2:] {
		pt.rows = append(pt.rows, splitRow(line))
	}
	return pt, nil
}

// splitRow splits "| a | b \| c |" into "a" and "b | c".
func splitRow(line string) []string {
	line = strings.TrimPrefix(line, "|")
	if strings.HasSuffix(line, "|") && !strings.HasSuffix(line, `\|`) {
		line = line[:len(line)-1]
	}
	var cells []string
	var cell strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			cell.WriteByte('|')
			i++
		case line[i] == '|':
			cells = append(cells, strings.TrimSpace(cell.String()))
			cell.Reset()
		default:
			cell.WriteByte(line[i])
		}
	}
	return append(cells, strings.TrimSpace(cell.String()))
}
