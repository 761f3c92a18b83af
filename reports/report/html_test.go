package report

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// golang.org/x/net/html is not in this module, so the test parses the
// report as XML, which the HTML writer promises: a strict parse fails on
// any unbalanced or unclosed tag and any undeclared entity.

// htmlShape is what a strict parse of a report finds.
type htmlShape struct {
	counts map[string]int // start tags by name
	images [][]byte       // decoded data URIs of <img>
}

func parseHTML(t *testing.T, doc string) htmlShape {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	d.Strict = true
	shape := htmlShape{counts: map[string]int{}}
	var stack []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, col := d.InputPos()
			t.Fatalf("not well-formed at %d:%d: %v", line, col, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			stack = append(stack, tok.Name.Local)
			shape.counts[tok.Name.Local]++
			for _, a := range tok.Attr {
				if (a.Name.Local == "src" || a.Name.Local == "href") && !strings.HasPrefix(a.Value, "data:") &&
					(strings.Contains(a.Value, "://") || strings.HasPrefix(a.Value, "//")) {
					t.Errorf("<%s %s=%q> loads an external resource", tok.Name.Local, a.Name.Local, a.Value)
				}
				if tok.Name.Local == "img" && a.Name.Local == "src" {
					shape.images = append(shape.images, decodeDataURI(t, a.Value))
				}
			}
		case xml.EndElement:
			if n := len(stack); n == 0 || stack[n-1] != tok.Name.Local {
				t.Fatalf("</%s> closes %v", tok.Name.Local, stack)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) != 0 {
		t.Fatalf("unclosed tags %v", stack)
	}
	for _, tag := range []string{"script", "link", "iframe"} {
		if shape.counts[tag] > 0 {
			t.Errorf("the report has <%s>", tag)
		}
	}
	return shape
}

func decodeDataURI(t *testing.T, uri string) []byte {
	t.Helper()
	b64, ok := strings.CutPrefix(uri, "data:image/png;base64,")
	if !ok {
		t.Fatalf("img src %.40q is not a PNG data URI", uri)
	}
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatalf("img data URI: %v", err)
	}
	return data
}

func TestHTMLRun(t *testing.T) {
	doc := render(t, filepath.Join("testdata", "run"), true)
	shape := parseHTML(t, doc)
	pngs, _ := filepath.Glob(filepath.Join("testdata", "run", "results", "figures", "*.png"))
	if len(shape.images) != len(pngs) || shape.counts["figure"] != len(pngs) {
		t.Errorf("%d images in %d figures, want %d", len(shape.images), shape.counts["figure"], len(pngs))
	}
	for i, data := range shape.images {
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Errorf("image %d: %v", i, err)
		} else if img.Bounds().Dx() != 8 {
			t.Errorf("image %d is %v, want the 8 px testdata figure", i, img.Bounds())
		}
	}
	// Table 1, paired, paper Table 2, extended Table 2, data, pool, zoo,
	// REC-Net, timings, environment; the claims section has no table.
	if got := shape.counts["table"]; got != 10 {
		t.Errorf("%d tables, want 10", got)
	}
	if got := shape.counts["section"]; got != 12 {
		t.Errorf("%d sections, want 12", got)
	}
	if got := shape.counts["details"]; got != 1 {
		t.Errorf("%d details blocks, want 1 (the config)", got)
	}
	for _, want := range []string{
		`<td class="num">0.06 ± 0.04</td><td class="num">0.04 ± 0.05</td>`,
		`<a href="#paired">Paired comparison on the same test samples</a>`,
		`<summary>config.json</summary>`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

func TestHTMLSweep(t *testing.T) {
	doc := render(t, filepath.Join("testdata", "sweep"), true)
	shape := parseHTML(t, doc)
	// The missing cell, ablation, the central claim's differences, the
	// tie over seeds and the seed counts, the
	// settings compared seed by seed, Table 1, Table 2 and the claims for
	// each of two settings, cells, timings.
	if got := shape.counts["table"]; got != 14 {
		t.Errorf("%d tables, want 14", got)
	}
	if got := shape.counts["a"]; got != 8+4 {
		t.Errorf("%d links, want 12: eight sections and four cell reports", got)
	}
	if !strings.Contains(doc, `<td class="num">0.110 ± 0.014</td>`) {
		t.Error("HTML ablation lacks 0.110 ± 0.014")
	}
}

func TestParsePipeTable(t *testing.T) {
	md := "**A title**\n\n| name | value |\n|---|---:|\n| a \\| b | 1.5 |\n| c |  |\n"
	pt, err := parsePipeTable(md)
	if err != nil {
		t.Fatal(err)
	}
	if pt.title != "A title" || !slices.Equal(pt.header, []string{"name", "value"}) || !slices.Equal(pt.right, []bool{false, true}) {
		t.Errorf("title %q header %q right %v", pt.title, pt.header, pt.right)
	}
	if len(pt.rows) != 2 || !slices.Equal(pt.rows[0], []string{"a | b", "1.5"}) || !slices.Equal(pt.rows[1], []string{"c", ""}) {
		t.Errorf("rows %q", pt.rows)
	}
	if _, err := parsePipeTable("just text\n"); !errors.Is(err, errPipeTable) {
		t.Errorf("err = %v, want errPipeTable", err)
	}
}

func TestInline(t *testing.T) {
	for in, want := range map[string]string{
		"a < b & `c`":                   "a &lt; b &amp; <code>c</code>",
		"**bold** and *em*":             "<strong>bold</strong> and <em>em</em>",
		"[report](cells/x=1/report.md)": `<a href="cells/x=1/report.html">report</a>`,
		"[y](other.md)":                 `<a href="other.md">y</a>`,
	} {
		if got := inline(in); got != want {
			t.Errorf("inline(%q) = %q, want %q", in, got, want)
		}
	}
}
