package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
)

// Report is a run or sweep report ready to render.
type Report struct {
	Dir   string // the run or sweep directory, as given to Build
	Title string
	Sweep bool // a sweep report, over the cells of sweep.json

	intro    []block // under the title, before the first section
	sections []*section
	cells    []string // sweep: the cell directories that exist
}

// section is one titled part of a report. Level 2 sections appear in the
// HTML table of contents; level 3 ones are their subsections.
type section struct {
	id, title string
	level     int
	blocks    []block
}

// A block is one of para, table, figure or code.
type block any

// para is a paragraph of inline Markdown: `code`, **bold** and [text](url).
type para string

// table is anything that renders itself as a pipe table (see tables); the
// caption, inline Markdown, is written above it.
type table struct {
	caption string
	t       interface{ Markdown(io.Writer) error }
}

// figure is a PNG file of the report's directory, embedded in HTML.
type figure struct {
	file    string // slash-separated, relative to the report's directory
	caption string
	data    []byte
	w, h    int
	drawn   bool // drawn by the report itself: Write saves data as file
}

// code is a block of verbatim text: fenced in Markdown, a collapsed
// <details> block in HTML when summary is set.
type code struct {
	summary, lang, text string
}

// Build reads a run directory, or a sweep directory (one holding
// sweep.json), into a Report.
func Build(dir string) (*Report, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("report: %s is not a directory", dir)
	}
	if exists(filepath.Join(dir, "sweep.json")) {
		return buildSweep(dir)
	}
	for _, marker := range []string{"manifest.json", "config.json"} {
		if exists(filepath.Join(dir, marker)) {
			return buildRun(dir)
		}
	}
	return nil, fmt.Errorf("%w: %s has no manifest.json or config.json (a run) and no sweep.json (a sweep)", ErrNotRun, dir)
}

// ErrNotRun is wrapped by Build's error for a directory that is neither a
// run nor a sweep.
var ErrNotRun = errors.New("report: not a segqa run or sweep directory")

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// Write writes dir/report.md and dir/report.html, each atomically, and
// returns their paths. For a sweep it first writes every cell's report.
func Write(dir string) (md, html string, err error) {
	r, err := Build(dir)
	if err != nil {
		return "", "", err
	}
	for _, cell := range r.cells {
		if _, _, err := Write(cell); err != nil {
			return "", "", err
		}
	}
	for _, s := range r.sections {
		for _, b := range s.blocks {
			if f, ok := b.(figure); ok && f.drawn {
				path := filepath.Join(dir, filepath.FromSlash(f.file))
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					return "", "", fmt.Errorf("report: %w", err)
				}
				if err := run.WriteFile(path, f.data); err != nil {
					return "", "", fmt.Errorf("report: %w", err)
				}
			}
		}
	}
	md, html = filepath.Join(dir, "report.md"), filepath.Join(dir, "report.html")
	if err := run.WriteAtomic(md, r.Markdown); err != nil {
		return "", "", fmt.Errorf("report: %w", err)
	}
	if err := run.WriteAtomic(html, r.HTML); err != nil {
		return "", "", fmt.Errorf("report: %w", err)
	}
	return md, html, nil
}

// add appends a new section and returns it.
func (r *Report) add(id, title string, level int) *section {
	s := &section{id: id, title: title, level: level}
	r.sections = append(r.sections, s)
	return s
}

func (s *section) para(format string, args ...any) {
	s.blocks = append(s.blocks, para(fmt.Sprintf(format, args...)))
}

// claims adds one paragraph per claim, its verdict in bold.
func (s *section) claims(cs []results.Claim) {
	for _, c := range cs {
		v, threat := c.Verdict(), ""
		if c.Threat != "" {
			threat = " (" + c.Threat + ")"
		}
		s.para("**%s**%s: %s. %s.", strings.ToUpper(v[:1])+v[1:], threat, c.Claim, c.Evidence)
	}
}

func (s *section) table(caption string, t interface{ Markdown(io.Writer) error }) {
	s.blocks = append(s.blocks, table{caption: caption, t: t})
}

// readJSON decodes dir/rel into v. A missing file is no error: found is
// false. A file that does not decode is an error naming it.
func readJSON(dir, rel string, v any) (found bool, err error) {
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("report: %w", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return false, fmt.Errorf("report: %s: %w", filepath.Join(dir, filepath.FromSlash(rel)), err)
	}
	return true, nil
}

// joinAnd joins items as "a, b and c".
func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
