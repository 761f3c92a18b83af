package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Markdown writes the report as GitHub-flavoured Markdown. Figures link
// the PNG files beside the report rather than embedding them.
func (r *Report) Markdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# %s\n", r.Title)
	if err := mdBlocks(bw, r.intro, new(int)); err != nil {
		return err
	}
	figNo := 0
	for _, s := range r.sections {
		fmt.Fprintf(bw, "\n%s %s\n", strings.Repeat("#", s.level), s.title)
		if err := mdBlocks(bw, s.blocks, &figNo); err != nil {
			return fmt.Errorf("report: section %q: %w", s.title, err)
		}
	}
	return bw.Flush()
}

// mdBlocks writes blocks, each preceded by a blank line; figNo numbers
// the figures across sections.
func mdBlocks(w *bufio.Writer, blocks []block, figNo *int) error {
	for _, b := range blocks {
		w.WriteString("\n")
		switch b := b.(type) {
		case para:
			fmt.Fprintf(w, "%s\n", b)
		case table:
			if b.caption != "" {
				fmt.Fprintf(w, "%s:\n\n", b.caption)
			}
			if err := b.t.Markdown(w); err != nil {
				return err
			}
		case figure:
			*figNo++
			name := b.file[strings.LastIndex(b.file, "/")+1:]
			if b.data != nil {
				fmt.Fprintf(w, "![%s](%s)\n\n", name, linkPath(b.file))
			}
			fmt.Fprintf(w, "*Figure %d.* %s (`%s`)\n", *figNo, b.caption, name)
		case code:
			if b.summary != "" {
				fmt.Fprintf(w, "`%s`:\n\n", b.summary)
			}
			fence := "```"
			for strings.Contains(b.text, fence) {
				fence += "`"
			}
			fmt.Fprintf(w, "%s%s\n%s\n%s\n", fence, b.lang, strings.TrimRight(b.text, "\n"), fence)
		default:
			panic(fmt.Sprintf("report: unknown block %T", b))
		}
	}
	return nil
}
