package graphs_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/testkit/golden"
)

// Tiny specs: every block appears, and the listings stay short enough to read.
var (
	structUNet   = graphs.UNetSpec{Depth: 2, Filters: 4, Out: 1}
	structRegNet = graphs.RegNetSpec{Blocks: 2, Filters: 4, Dense: []int64{8}, Dropout: 0.5}
)

const structPx = 16

// structureCases are the top-level builders whose forward graphs are pinned.
var structureCases = []struct {
	name  string
	build func(s *op.Scope) *graphs.Model
}{
	{"segmenter", func(s *op.Scope) *graphs.Model {
		return graphs.Segmenter(s, structUNet, structPx, graphs.DiceBCE, 1, graphs.Adam{})
	}},
	{"reconstructor", func(s *op.Scope) *graphs.Model {
		return graphs.Reconstructor(s, structUNet, structPx, 1, graphs.Adam{})
	}},
	{"diffregressor", func(s *op.Scope) *graphs.Model {
		return graphs.DiffRegressor(s, structUNet, structRegNet, structPx, graphs.DiffOptions{}, graphs.L1, 1, graphs.Adam{})
	}},
}

// TestGraphStructure lists the forward graph of each top-level builder, one
// op per line with its type and output shapes, and compares the listing
// with testdata/<name>.ops.golden. A changed layer, filter count, pooling,
// head or loss shows up as a diff of the listing; go test -run
// TestGraphStructure -regen rewrites the goldens after an intended
// change.
//
// DiffRegressor restores its frozen REC-Net from a Reconstructor's
// checkpoint by variable name, so the recnet/ part of the two listings must
// also be identical.
func TestGraphStructure(t *testing.T) {
	listings := map[string][]byte{}
	for _, tc := range structureCases {
		t.Run(tc.name, func(t *testing.T) {
			s := op.NewScope()
			tc.build(s)
			g, err := s.Finalize()
			if err != nil {
				t.Fatal(err)
			}
			got := structureListing(g)
			if len(got) == 0 {
				t.Fatal("empty listing")
			}
			listings[tc.name] = got
			golden.Check(t, filepath.Join("testdata", tc.name+".ops.golden"), got)
		})
	}
	if listings["reconstructor"] == nil || listings["diffregressor"] == nil {
		return // one was not built (a failure above, or -run chose a subtest)
	}
	rec, diff := recnetLines(listings["reconstructor"]), recnetLines(listings["diffregressor"])
	if rec == "" || rec != diff {
		t.Errorf("the REC-Net inside DiffRegressor differs from Reconstructor's:\n%s\nagainst\n%s", rec, diff)
	}
}

// recnetLines is the part of a listing under recnet/.
func recnetLines(listing []byte) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(string(listing), "\n") {
		if strings.HasPrefix(line, "recnet/") {
			b.WriteString(line)
		}
	}
	return b.String()
}

// skippedPrefixes name the subgraphs that are not the network itself: the
// gradients, the optimiser, the savers and the initialiser.
var skippedPrefixes = []string{
	"input_gradients", "train", "diff_gradient", "save", "restore", "recnet_restore", "init",
}

// forwardOp reports whether an op belongs in the structure listing.
func forwardOp(name string) bool {
	for _, p := range skippedPrefixes {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	return !strings.Contains(name, "/gradients")
}

// structureListing is "name type shape..." for each forward op, sorted by
// name. Of each variable's scope only the handle and its read are listed
// (the read carries the variable's shape): the marker NoOp, the initial
// value and its AssignVariableOp belong to the initialiser, and change with
// the init scheme rather than the structure.
func structureListing(g *tf.Graph) []byte {
	ops := g.Operations()
	var vars []string
	for _, o := range ops {
		if o.Type() == "VarHandleOp" {
			vars = append(vars, strings.TrimSuffix(o.Name(), "VarHandleOp"))
		}
	}
	initOp := func(o tf.Operation) bool {
		if o.Type() == "VarHandleOp" || o.Type() == "ReadVariableOp" {
			return false
		}
		for _, v := range vars {
			if strings.HasPrefix(o.Name(), v) {
				return true
			}
		}
		return false
	}
	var lines []string
	for _, o := range ops {
		if !forwardOp(o.Name()) || initOp(o) {
			continue
		}
		shapes := make([]string, o.NumOutputs())
		for i := range shapes {
			shapes[i] = o.Output(i).Shape().String()
		}
		line := o.Name() + " " + o.Type()
		if len(shapes) > 0 {
			line += " " + strings.Join(shapes, " ")
		}
		lines = append(lines, line)
	}
	sort.Slice(lines, func(i, j int) bool { // by name: op names are unique
		a, _, _ := strings.Cut(lines[i], " ")
		b, _, _ := strings.Cut(lines[j], " ")
		return a < b
	})
	var buf bytes.Buffer
	for _, l := range lines {
		fmt.Fprintln(&buf, l)
	}
	return buf.Bytes()
}

// TestUNetFLOPs counts the FLOPs of the Conv2D ops in the graph that
// Reconstructor builds for the paper's REC-Net, from their static shapes,
// and compares them with UNetSpec.FLOPs, which the benchmarks divide by.
func TestUNetFLOPs(t *testing.T) {
	spec := graphs.UNetSpec{Depth: 4, Filters: 32, Out: 1}
	s := op.NewScope()
	graphs.Reconstructor(s, spec, 128, 1, graphs.Adam{})
	g, err := s.Finalize()
	if err != nil {
		t.Fatal(err)
	}
	var counted float64
	for _, o := range g.Operations() { // each filter, through the Conv2D that reads it
		for i := range o.NumOutputs() {
			for _, c := range o.Output(i).Consumers() {
				if c.Op.Type() != "Conv2D" || c.Index != 1 {
					continue
				}
				w, err := o.Output(i).Shape().ToSlice()
				if err != nil {
					t.Fatal(err)
				}
				out, err := c.Op.Output(0).Shape().ToSlice()
				if err != nil {
					t.Fatal(err)
				}
				counted += 2 * float64(out[1]*out[2]*w[0]*w[1]*w[2]*w[3])
			}
		}
	}
	if got := spec.FLOPs(128, 1); got != counted || counted != 6016729088 {
		t.Errorf("UNetSpec.FLOPs = %.0f, the graph's Conv2D ops count %.0f (want 6016729088 both)", got, counted)
	}
}
