package report

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"regexp"
	"strings"
)

// style is the report's whole style sheet: readable type, ruled tables with
// right-aligned numbers, figures no wider than the page.
const style = `
body { margin: 0; color: #1f2328; background: #fff; line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
header, nav, main { max-width: 1100px; margin: 0 auto; padding: 0 1.5rem; }
h1 { font-size: 1.8rem; margin: 1.5rem 0 0.75rem; }
h2 { font-size: 1.35rem; margin-top: 2.5rem; padding-bottom: 0.25rem; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.1rem; margin-top: 1.75rem; }
nav { font-size: 0.95rem; }
nav ol { columns: 2; margin: 0.25rem 0; }
a { color: #0969da; }
.scroll { overflow-x: auto; margin: 0.5rem 0 1.25rem; }
table { border-collapse: collapse; font-size: 0.92rem; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 0.3rem 0; }
th, td { border: 1px solid #d0d7de; padding: 0.3rem 0.6rem; vertical-align: top; }
th { background: #f3f5f7; text-align: left; }
tbody tr:nth-child(even) { background: #f9fafb; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.paper { color: #57606a; font-size: 0.88em; }
figure { margin: 1.5rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eaeef2; }
figcaption { font-size: 0.92rem; color: #444c56; margin-top: 0.3rem; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.88em; }
code { background: #f3f5f7; padding: 0 0.25em; border-radius: 3px; }
pre { background: #f6f8fa; padding: 0.8rem 1rem; overflow-x: auto; border-radius: 6px; }
pre code { background: none; padding: 0; }
details { margin: 0.5rem 0 2rem; }
summary { cursor: pointer; font-weight: 600; }
`

// HTML writes the report as one self-contained HTML page: the style sheet
// is inline and figures are base64 PNG data URIs. The markup is also
// well-formed XML.
func (r *Report) HTML(w io.Writer) error {
	bw := bufio.NewWriter(w)
	title := html.EscapeString(r.Title)
	fmt.Fprintf(bw, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"+
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n",
		title, style)
	fmt.Fprintf(bw, "<header><h1>%s</h1></header>\n<nav>\n<strong>Contents</strong>\n<ol>\n", title)
	for _, s := range r.sections {
		if s.level == 2 {
			fmt.Fprintf(bw, "<li><a href=\"#%s\">%s</a></li>\n", s.id, inline(s.title))
		}
	}
	bw.WriteString("</ol>\n</nav>\n<main>\n")
	figNo := 0
	if err := htmlBlocks(bw, r.intro, &figNo); err != nil {
		return err
	}
	for _, s := range r.sections {
		fmt.Fprintf(bw, "<section id=\"%s\">\n<h%d>%s</h%d>\n", s.id, s.level, inline(s.title), s.level)
		if err := htmlBlocks(bw, s.blocks, &figNo); err != nil {
			return fmt.Errorf("report: section %q: %w", s.title, err)
		}
		bw.WriteString("</section>\n")
	}
	bw.WriteString("</main>\n</body>\n</html>\n")
	return bw.Flush()
}

func htmlBlocks(w *bufio.Writer, blocks []block, figNo *int) error {
	for _, b := range blocks {
		switch b := b.(type) {
		case para:
			fmt.Fprintf(w, "<p>%s</p>\n", inline(string(b)))
		case table:
			if err := htmlTable(w, b); err != nil {
				return err
			}
		case figure:
			*figNo++
			htmlFigure(w, b, *figNo)
		case code:
			text := html.EscapeString(strings.TrimRight(b.text, "\n"))
			if b.summary == "" {
				fmt.Fprintf(w, "<pre><code>%s</code></pre>\n", text)
				continue
			}
			fmt.Fprintf(w, "<details>\n<summary>%s</summary>\n<pre><code>%s</code></pre>\n</details>\n", html.EscapeString(b.summary), text)
		default:
			panic(fmt.Sprintf("report: unknown block %T", b))
		}
	}
	return nil
}

func htmlFigure(w *bufio.Writer, f figure, n int) {
	name := f.file[strings.LastIndex(f.file, "/")+1:]
	w.WriteString("<figure>\n")
	if f.data != nil {
		fmt.Fprintf(w, "<img src=\"data:image/png;base64,%s\" width=\"%d\" height=\"%d\" alt=\"%s\"/>\n",
			base64.StdEncoding.EncodeToString(f.data), f.w, f.h, html.EscapeString(name))
	}
	fmt.Fprintf(w, "<figcaption><strong>Figure %d.</strong> %s (<code>%s</code>)</figcaption>\n</figure>\n",
		n, inline(f.caption), html.EscapeString(name))
}

// htmlTable renders the table's Markdown as an HTML table, so that both
// formats show the same cells.
func htmlTable(w *bufio.Writer, b table) error {
	var buf bytes.Buffer
	if err := b.t.Markdown(&buf); err != nil {
		return err
	}
	pt, err := parsePipeTable(buf.String())
	if err != nil {
		return err
	}
	caption := b.caption
	if pt.title != "" {
		caption = strings.TrimPrefix(caption+" — "+pt.title, " — ")
	}
	w.WriteString("<div class=\"scroll\">\n<table>\n")
	if caption != "" {
		fmt.Fprintf(w, "<caption>%s</caption>\n", inline(caption))
	}
	w.WriteString("<thead>\n")
	htmlRow(w, "th", pt.header, pt.right)
	w.WriteString("</thead>\n<tbody>\n")
	for _, row := range pt.rows {
		htmlRow(w, "td", row, pt.right)
	}
	w.WriteString("</tbody>\n</table>\n</div>\n")
	return nil
}

func htmlRow(w *bufio.Writer, tag string, cells []string, right []bool) {
	w.WriteString("<tr>")
	for j, c := range cells {
		class := ""
		if j < len(right) && right[j] {
			class = ` class="num"`
		}
		fmt.Fprintf(w, "<%s%s>%s</%s>", tag, class, cellHTML(c), tag)
	}
	w.WriteString("</tr>\n")
}

// cellHTML renders a table cell; the paper's figure that Table 2 adds in
// parentheses goes on a second line, in grey.
func cellHTML(c string) string {
	if i := strings.Index(c, " (paper "); i > 0 && strings.HasSuffix(c, ")") {
		return inline(c[:i]) + `<br/><span class="paper">` + inline(c[i+1:]) + "</span>"
	}
	return inline(c)
}

var (
	codeSpan = regexp.MustCompile("`([^`]+)`")
	bold     = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	emph     = regexp.MustCompile(`\*([^*\s][^*]*)\*`)
	mdLink   = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]+)\)`)
)

// inline turns the inline Markdown the report writes (`code`, **bold**,
// *emphasis*, [text](url)) into escaped HTML. A link to a report.md
// becomes a link to the report.html beside it.
func inline(s string) string {
	s = html.EscapeString(s)
	s = codeSpan.ReplaceAllString(s, "<code>$1</code>")
	s = bold.ReplaceAllString(s, "<strong>$1</strong>")
	s = emph.ReplaceAllString(s, "<em>$1</em>")
	return mdLink.ReplaceAllStringFunc(s, func(m string) string {
		sub := mdLink.FindStringSubmatch(m)
		href := sub[2]
		if h, ok := strings.CutSuffix(href, "report.md"); ok {
			href = h + "report.html"
		}
		return fmt.Sprintf(`<a href="%s">%s</a>`, href, sub[1])
	})
}
