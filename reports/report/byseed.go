package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/shared/stats"
	"github.com/segqa/segqa/reports/tables"
)

// bySeed is one number (a Table 1 MAE, a Table 2 cell) of setting B
// against setting A over the seeds both ran: the paired comparison of a
// sweep, where the test pools of two settings may differ but the seeds
// pair them.
type bySeed struct {
	a, b        []float64 // per seed, paired
	stats.TTest           // of b − a over seeds
}

func pairSeeds(a, b []float64) bySeed { return bySeed{a: a, b: b, TTest: stats.PairedT(a, b)} }

// bySeedSection compares every other setting of a sweep with the first,
// seed by seed: each Table 1 MAE and each Table 2 cell, their mean
// difference, its spread over seeds and a paired t-test.
func bySeedSection(r *Report, groups []*group) {
	if len(groups) < 2 {
		return
	}
	s := r.add("by-seed", "Settings compared seed by seed", 2)
	s.para("Each setting against %s, on the seeds both ran: B − A is the mean over seeds of the difference in MAE, ± its standard deviation over seeds, with the per-seed differences and a paired t-test over seeds (with three seeds only a consistent difference reaches p < 0.05), and that p corrected by Holm's method for the number of numbers compared: a difference is beyond seed noise at the 0.05 level when its Holm p is below 0.05. The test pools of two settings differ when the setting changes the zoo, so the pairing is by seed, not by sample.", groups[0].setting)
	for _, g := range groups[1:] {
		t := tables.Generic{Header: []string{"table", "row", "ε", "A", "B", "B − A", "per seed", "paired t p", "Holm p"}}
		t.Rows = pairTables(groups[0], g)
		s.table(fmt.Sprintf("B = %s, A = %s", g.setting, groups[0].setting), t)
	}
}

// pairTables lines up the Table 1 and Table 2 numbers of a and b by seed.
func pairTables(a, b *group) [][]string {
	// key is one number: its table, its row's ID and its ε; label is the
	// row's name for people, from the first pair that has it.
	type key struct{ table, row, eps string }
	var order []key
	values := map[key][2][]float64{}
	label := map[key]string{}
	add := func(k key, name string, va, vb float64) {
		v, seen := values[k]
		if !seen {
			order = append(order, k)
			label[k] = name
		}
		v[0], v[1] = append(v[0], va), append(v[1], vb)
		values[k] = v
	}
	for _, ca := range a.cells {
		for _, cb := range b.cells {
			if ca.seed != cb.seed || ca.run == nil || cb.run == nil {
				continue
			}
			if t1a, t1b := ca.run.table1, cb.run.table1; t1a != nil && t1b != nil {
				for _, ra := range t1a.Rows {
					if rb := t1b.Row(ra.ID); rb != nil {
						add(key{"1", string(ra.ID), "0"}, ra.Method+" ("+ra.Input+")", ra.MAE, rb.MAE)
					}
				}
			}
			if t2a, t2b := ca.run.table2, cb.run.table2; t2a != nil && t2b != nil {
				for _, ra := range t2a.Rows {
					rb := t2b.Row(ra.ID)
					if rb == nil {
						continue
					}
					for i, e := range ra.Eps {
						if j := rb.EpsIndex(e); j >= 0 {
							add(key{"2", string(ra.ID), strconv.FormatFloat(e, 'g', -1, 64)}, ra.Attack, ra.MAE[i], rb.MAE[j])
						}
					}
				}
			}
		}
	}
	pairs := make([]bySeed, len(order))
	ps := make([]float64, len(order))
	for i, k := range order {
		pairs[i] = pairSeeds(values[k][0], values[k][1])
		ps[i] = pairs[i].P
	}
	holm := stats.Holm(ps)
	var rows [][]string
	for i, k := range order {
		c := pairs[i]
		ma, _ := stats.MeanStd(c.a)
		mb, _ := stats.MeanStd(c.b)
		per := make([]string, len(c.a))
		for i := range c.a {
			per[i] = tables.Signed(c.b[i]-c.a[i], 4)
		}
		rows = append(rows, []string{k.table, label[k], k.eps, fmt.Sprintf("%.3f", ma), fmt.Sprintf("%.3f", mb),
			tables.PM(c.Mean, c.SD, 3), strings.Join(per, " "), results.FormatP(c.P), results.FormatP(holm[i])})
	}
	return rows
}
