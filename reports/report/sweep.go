package report

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/reports/tables"
)

// sweepCell is one cell of a sweep with what its run directory holds.
type sweepCell struct {
	name, dir string            // dir is slash-separated, relative to the sweep
	setting   string            // the grid point, e.g. "regnet.loss=l1"
	values    map[string]string // the grid point by key
	seed      uint64
	run       *runData
	outcome   *results.Outcome // how its last run ended; nil when under way, killed or never run
}

// group is the cells of one grid setting, over seeds.
type group struct {
	setting string
	cells   []sweepCell
}

func buildSweep(dir string) (*Report, error) {
	var sw results.Sweep
	if _, err := readJSON(dir, results.SweepFile, &sw); err != nil {
		return nil, err
	}
	r := &Report{Dir: dir, Title: "segqa sweep report: " + baseName(dir), Sweep: true}
	var groups []*group
	for _, c := range sw.Cells {
		cellDir := filepath.Join(dir, filepath.FromSlash(c.Dir))
		d, err := loadRun(cellDir)
		if err != nil {
			return nil, err
		}
		o, err := readOutcome(cellDir)
		if err != nil {
			return nil, err
		}
		cell := sweepCell{name: c.Name, dir: filepath.ToSlash(c.Dir), setting: setting(sw, c.Settings), values: c.Settings, seed: c.Seed, run: d, outcome: o}
		if d.started() {
			r.cells = append(r.cells, d.dir)
		}
		i := slices.IndexFunc(groups, func(g *group) bool { return g.setting == cell.setting })
		if i < 0 {
			groups = append(groups, &group{setting: cell.setting})
			i = len(groups) - 1
		}
		groups[i].cells = append(groups[i].cells, cell)
	}
	r.intro = []block{para(sweepSummary(sw, groups))}
	missingSection(r, groups)
	ablationSection(r, groups)
	if err := robustSection(r, groups); err != nil {
		return nil, err
	}
	if err := centralSection(r, groups); err != nil {
		return nil, err
	}
	maskingSweepSection(r, groups)
	certifiedSweepSection(r, groups)
	bySeedSection(r, groups)
	for i, g := range groups {
		groupSection(r, g, i)
	}
	cellsSection(r, groups)
	sweepTimingSection(r, groups)
	return r, nil
}

// setting names a grid point by its values in grid order.
func setting(sw results.Sweep, values map[string]string) string {
	var parts []string
	for _, ax := range sw.Grid {
		parts = append(parts, ax.Key+"="+values[ax.Key])
	}
	if len(parts) == 0 {
		return "base config"
	}
	return strings.Join(parts, ", ")
}

func sweepSummary(sw results.Sweep, groups []*group) string {
	var b strings.Builder
	fmt.Fprintf(&b, "A sweep over the base config `%s`", sw.BaseConfig)
	if len(sw.Sets) > 0 {
		fmt.Fprintf(&b, " with `%s`", strings.Join(sw.Sets, "`, `"))
	}
	var axes []string
	for _, ax := range sw.Grid {
		axes = append(axes, fmt.Sprintf("%s ∈ {%s}", ax.Key, strings.Join(ax.Values, ", ")))
	}
	if len(axes) > 0 {
		fmt.Fprintf(&b, " on the grid %s", strings.Join(axes, " × "))
	}
	seeds := make([]string, len(sw.Seeds))
	for i, s := range sw.Seeds {
		seeds[i] = strconv.FormatUint(s, 10)
	}
	if len(seeds) > 0 {
		fmt.Fprintf(&b, ", each with seeds %s", strings.Join(seeds, ", "))
	}
	var started, t1, t2 int
	for _, g := range groups {
		for _, c := range g.cells {
			started += btoi(c.run.started())
			t1 += btoi(c.run.table1 != nil)
			t2 += btoi(c.run.table2 != nil)
		}
	}
	fmt.Fprintf(&b, ": %d settings, %d cells, of which %d have started, %d have Table 1 and %d have Table 2. "+
		"Aggregated figures are the mean ± std across seeds (sample std, n − 1) of each row's MAE.",
		len(groups), len(sw.Cells), started, t1, t2)
	return b.String()
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// cellsSection lists every cell with a link to its own report.
func cellsSection(r *Report, groups []*group) {
	s := r.add("cells", "Cells", 2)
	s.para("Every cell is a run of its own; its report holds its figures, data, pools, training and environment.")
	g := tables.Generic{Header: []string{"cell", "seed", "state", "stages run", "report"}}
	for _, gr := range groups {
		for _, c := range gr.cells {
			stages, link := "none", results.Dash
			if m := c.run.manifest; m != nil {
				stages = strings.Join(m.Order, ", ")
			}
			if c.run.started() {
				link = fmt.Sprintf("[report](%s)", linkPath(path.Join(c.dir, "report.md")))
			}
			state, _ := c.state()
			g.Rows = append(g.Rows, []string{c.name, strconv.FormatUint(c.seed, 10), string(state), stages, link})
		}
	}
	s.table("", g)
}

// linkPath escapes what a Markdown link destination cannot hold.
func linkPath(p string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29").Replace(p)
}

// sweepTimingSection sums each stage's seconds over the cells.
func sweepTimingSection(r *Report, groups []*group) {
	s := r.add("timings", "Stage timings, summed over cells", 2)
	type sum struct {
		runs, reused int
		seconds      float64
	}
	var order []string
	sums := map[string]*sum{}
	for _, g := range groups {
		for _, c := range g.cells {
			m := c.run.manifest
			if m == nil {
				continue
			}
			for _, name := range m.Order {
				st, ok := m.Stages[name]
				if !ok {
					continue
				}
				if sums[name] == nil {
					sums[name] = &sum{}
					order = append(order, name)
				}
				sums[name].runs += btoi(!st.Skipped)
				sums[name].reused += btoi(st.Skipped)
				sums[name].seconds += st.Seconds
			}
		}
	}
	if len(order) == 0 {
		s.para("No cell has a manifest yet.")
		return
	}
	s.para("A stage is *run* in the cell that computed it and *reused* by the cells that share its settings.")
	g := tables.Generic{Header: []string{"stage", "run", "reused", "seconds", "time"}}
	var total sum
	for _, name := range order {
		x := sums[name]
		total.runs, total.reused, total.seconds = total.runs+x.runs, total.reused+x.reused, total.seconds+x.seconds
		g.Rows = append(g.Rows, []string{name, strconv.Itoa(x.runs), strconv.Itoa(x.reused), tables.Fixed(x.seconds, 2), seconds(x.seconds)})
	}
	g.Rows = append(g.Rows, []string{"total", strconv.Itoa(total.runs), strconv.Itoa(total.reused), tables.Fixed(total.seconds, 2), seconds(total.seconds)})
	s.table("", g)
}
