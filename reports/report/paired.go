package report

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/shared/stats"
	"github.com/segqa/segqa/reports/tables"
)

// Settings of the paired comparison.
const (
	bootstrapResamples = 10000
	bootstrapLevel     = 0.95
	bootstrapStream    = 0 // the second word of the PCG seed; the first is the run's seed
)

// pairedResult compares method b against the baseline a on the same
// samples: diff is mean(|err b|) - mean(|err a|).
type pairedResult struct {
	a, b             results.Input
	n                int
	maeA, maeB       float64
	diff, lo, hi     float64 // bootstrap: mean difference and its interval
	wilcoxonW, wilcP float64
}

// compare runs the paired bootstrap and the Wilcoxon signed-rank test of
// the absolute errors of every method against the baseline "xs", each
// bootstrap with a fresh PCG source seeded (seed, bootstrapStream).
func compare(p *results.Predictions, seed uint64) []pairedResult {
	base, ok := p.Predicted[results.InputXS]
	if !ok {
		return nil
	}
	ea := stats.AbsErrors(base, p.TrueDice)
	var kinds []results.Input
	for k := range p.Predicted {
		if k != results.InputXS {
			kinds = append(kinds, k)
		}
	}
	slices.SortFunc(kinds, func(x, y results.Input) int {
		if rx, ry := rankKind(x), rankKind(y); rx != ry {
			return rx - ry
		}
		return strings.Compare(string(x), string(y))
	})
	var out []pairedResult
	for _, k := range kinds {
		eb := stats.AbsErrors(p.Predicted[k], p.TrueDice)
		res := pairedResult{a: results.InputXS, b: k, n: len(ea)}
		res.maeA, _ = stats.MAE(base, p.TrueDice)
		res.maeB, _ = stats.MAE(p.Predicted[k], p.TrueDice)
		rng := rand.New(rand.NewPCG(seed, bootstrapStream))
		res.diff, res.lo, res.hi = stats.PairedBootstrap(eb, ea, bootstrapResamples, rng, bootstrapLevel)
		res.wilcoxonW, res.wilcP = stats.Wilcoxon(eb, ea)
		out = append(out, res)
	}
	return out
}

// rankKind puts the known input kinds first, in their order.
func rankKind(k results.Input) int {
	if i := slices.Index(results.Inputs, k); i >= 0 {
		return i
	}
	return len(results.Inputs)
}

func (d *runData) pairedSection(r *Report) {
	s := r.add("paired", "Paired comparison on the same test samples", 2)
	switch {
	case d.preds == nil && d.table1 != nil:
		s.para("Not available: `results/predictions.json` is missing although Table 1 exists; " +
			"this run's table1 stage predates per-sample predictions, so the methods cannot be compared sample by sample.")
		return
	case d.preds == nil:
		s.blocks = append(s.blocks, notRun("results/predictions.json", "table1"))
		return
	}
	var seed uint64
	if d.manifest != nil {
		seed = d.manifest.Seed
	}
	res := compare(d.preds, seed)
	if len(res) == 0 {
		s.para("No comparison: `results/predictions.json` needs the baseline's predictions (`xs`) and at least one other method's.")
		return
	}
	s.para("Absolute errors |predicted − true Dice| of each method against the baseline's, on the same %d test samples. "+
		"The interval is a paired bootstrap of the mean difference (%d resamples, %g%% percentile interval; "+
		"math/rand/v2 PCG seeded with (%d, %d), the first word being the run's seed). "+
		"The p-value is the two-sided Wilcoxon signed-rank test of the paired errors (zero differences dropped).",
		res[0].n, bootstrapResamples, 100*bootstrapLevel, seed, bootstrapStream)
	g := tables.Generic{Header: []string{"method B", "baseline A", "n", "MAE A", "MAE B", "B − A", "95% CI of B − A", "Wilcoxon W", "p"}}
	for _, c := range res {
		g.Rows = append(g.Rows, []string{
			c.b.Name(), c.a.Name(), strconv.Itoa(c.n), tables.Fixed(c.maeA, 4), tables.Fixed(c.maeB, 4),
			tables.Signed(c.diff, 4), "[" + tables.Signed(c.lo, 4) + ", " + tables.Signed(c.hi, 4) + "]",
			strconv.FormatFloat(c.wilcoxonW, 'f', -1, 64), results.FormatP(c.wilcP),
		})
	}
	s.table("", g)
	for _, c := range res {
		s.para("%s", c.verdict())
	}
}

// verdict says in words what the interval and the p-value show.
func (c pairedResult) verdict() string {
	name := c.b.Name()
	switch {
	case c.hi < 0:
		return fmt.Sprintf("%s has a lower MAE than the baseline: the interval lies below 0 (p = %s).", name, results.FormatP(c.wilcP))
	case c.lo > 0:
		return fmt.Sprintf("%s has a higher MAE than the baseline: the interval lies above 0 (p = %s).", name, results.FormatP(c.wilcP))
	}
	return fmt.Sprintf("%s and the baseline do not differ clearly: the interval holds 0 (p = %s).", name, results.FormatP(c.wilcP))
}
