package report

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/segqa/segqa/harness/shared/results"

	"github.com/segqa/segqa/reports/tables"
)

// buildRun reads a run directory into a Report.
func buildRun(dir string) (*Report, error) {
	d, err := loadRun(dir)
	if err != nil {
		return nil, err
	}
	figs, err := readFigures(dir)
	if err != nil {
		return nil, err
	}
	r := &Report{Dir: dir, Title: "segqa run report: " + baseName(dir)}
	r.intro = []block{para(d.summary())}
	d.table1Section(r)
	d.pairedSection(r)
	d.table2Section(r)
	d.certifiedSection(r)
	figureSection(r, figs)
	d.datasetSection(r)
	d.poolSection(r)
	d.zooSection(r)
	d.recnetSection(r)
	d.timingSection(r)
	d.environmentSection(r)
	d.configSection(r)
	return r, nil
}

// baseName is the last element of dir, made absolute first so that "."
// has a name.
func baseName(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return filepath.Base(dir)
}

// notRun is the sentence that stands for a missing results file, which
// stage writes (empty: the run itself, when it starts).
func notRun(file, stage string) para {
	if stage == "" {
		return para(fmt.Sprintf("Not run: `%s` is missing.", file))
	}
	return para(fmt.Sprintf("Not run: `%s` is missing; the %s stage writes it.", file, stage))
}

// summary is the paragraph under the title: what was run, on what data,
// and the headline MAEs against the paper's.
func (d *runData) summary() string {
	var b strings.Builder
	b.WriteString("This run")
	if m := d.manifest; m != nil {
		fmt.Fprintf(&b, " (segqa %s, seed %d, git %s)", m.Segqa, m.Seed, m.GitRev)
	}
	if ds := d.dataset; ds != nil {
		tr, va, te := ds.Splits["train"], ds.Splits["val"], ds.Splits["test"]
		fmt.Fprintf(&b, " used %s data: %d patients split %d / %d / %d (train / val / test), %d / %d / %d slices of %d × %d px at %g mm.",
			ds.Source, tr.Patients+va.Patients+te.Patients, tr.Patients, va.Patients, te.Patients,
			tr.Slices, va.Slices, te.Slices, ds.Size, ds.Size, ds.SpacingMM)
		if ca, ok := ds.Splits[results.Calib]; ok {
			fmt.Fprintf(&b, " %d more patients (%d slices) calibrate the conformal intervals and serve nothing else.", ca.Patients, ca.Slices)
		}
	} else {
		b.WriteString(" has no data set summary yet.")
	}
	if t := d.table1; t != nil && len(t.Rows) > 0 {
		var parts []string
		for _, row := range t.Rows { // the paper's figures as the table1 stage attached them
			s := fmt.Sprintf("%s (%s) %s", row.Method, row.Input, tables.PM(row.MAE, row.Std, 3))
			if row.PaperMAE != 0 || row.PaperStd != 0 {
				s += fmt.Sprintf(" (paper %s)", tables.PM(row.PaperMAE, row.PaperStd, 2))
			}
			parts = append(parts, s)
		}
		fmt.Fprintf(&b, " On the %d test samples the MAE of the predicted Dice is: %s.", t.Rows[0].N, joinAnd(parts))
	}
	var ran, missing []string
	for _, st := range results.Stages {
		if d.manifest != nil && slices.Contains(d.manifest.Order, string(st)) {
			ran = append(ran, string(st))
		} else {
			missing = append(missing, string(st))
		}
	}
	if len(ran) > 0 {
		fmt.Fprintf(&b, " Stages run: %s.", strings.Join(ran, ", "))
	}
	if len(missing) > 0 {
		fmt.Fprintf(&b, " Not run: %s.", strings.Join(missing, ", "))
	}
	return b.String()
}

func (d *runData) table1Section(r *Report) {
	s := r.add("table1", "Table 1: MAE without attack", 2)
	if d.table1 == nil {
		s.blocks = append(s.blocks, notRun("results/table1.json", "table1"))
		return
	}
	text := "MAE of the predicted Dice on the test pool, mean ± std of the absolute errors, beside the paper's figures. " +
		"Pearson r correlates predicted and true Dice; acc(Dice<0.7) is how often the prediction flags a failed segmentation (Dice < 0.7) as the truth does."
	if slices.ContainsFunc(d.table1.Rows, func(r results.Table1Row) bool { return r.QC != nil }) {
		text += " " + qcExplained
	}
	s.para("%s", text)
	s.table("", tables.Table1(*d.table1))
	d.table1Calibration(s)
	if d.table1.HasSensitivity() {
		s.para("%s", sensitivityExplained+flaggedText(*d.table1))
		s.table("", tables.Sensitivity(*d.table1))
	}
}

// flaggedText names the networks of t flagged as not using their image,
// as a sentence that starts with a space; empty when none is.
func flaggedText(t results.Table1) string {
	var names []string
	for _, r := range t.Rows {
		if r.Sensitivity != nil && r.Sensitivity.IgnoresImage {
			names = append(names, r.Method+" ("+r.Input+")")
		}
	}
	if len(names) == 0 {
		return " No network of this run is flagged."
	}
	return " Flagged in this run: " + joinAnd(names) + "."
}

func (d *runData) table2Section(r *Report) {
	s := r.add("table2", "Table 2: MAE under attack", 2)
	if d.table2 == nil {
		s.blocks = append(s.blocks, notRun("results/table2.json", "table2"))
		return
	}
	t := *d.table2 // with the paper's figures and claims as the table2 stage recorded them
	var paper, extra results.Table2
	paper.Rows, extra.Rows = t.PaperRows()
	s.para("MAE of the predicted Dice on the attacked test pool, mean ± std, at each attack level ε; the paper's figure follows ours in parentheses.")
	if len(paper.Rows) > 0 {
		s.table("The paper's rows", tables.Table2(paper))
	}
	if len(extra.Rows) > 0 {
		s.table("Extended: attacks the paper did not run", tables.Table2(extra))
	}
	if t.HasQC() {
		s.table(tables.Table2QCTitle+", without attack and at each ε", tables.Table2QC(t))
	}
	table2Calibration(s, t)
	if t.HasBudget() {
		s.para("Each attack's budget per sample and ε (forward passes or gradient evaluations), its time per sample and ε on the machine that ran it, and the share of pass/fail decisions it flips.")
		s.table("", tables.Budget(t))
	}
	if len(t.Masking) > 0 {
		s.para("The check against gradient masking: a network that only hides its gradient suffers more from the gradient-free attack than from the gradient attacks; "+
			"\"no masking detected\" needs the gradient-free attack to reach at least %g of the gradient attacks' damage on undefended networks (its power).", results.MinPower)
		s.table("", tables.Masking(t.Masking))
	}
	c := r.add("claims", "The claims on this run", 2)
	c.para("The paper's claims and the threat an attacker can realise, checked against the numbers above. "+
		"The paper's central claim is read two ways, each labelled: **%s**, FGSM on d (an internal image no attacker touches) against FGSM on x; "+
		"and **%s**, any image within ε of x fed end to end through each pipeline, per sample the worst case over every attack the run makes on x, "+
		"which holds when Δ = proposed − baseline MAE is below 0 with a Holm p below %g at every ε. "+
		"Without attack the tie is an equivalence test (TOST) of the paired per-sample absolute errors within ±`eval.tie_margin`: "+
		"\"tie\" when both one-sided tests reject at %g, \"differ\" when the paired t-test does, otherwise \"not shown to tie\". "+
		"Runs recorded before segqa stored per-sample predictions have neither test: their tie keeps its Wilcoxon p and the worst cases on x are not recorded.",
		results.ThreatPaper, results.ThreatRealisable, results.ClaimLevel, results.ClaimLevel)
	c.claims(t.Claims())
	if p := tables.PairedClaims(t.Claims()); len(p.Rows) > 0 {
		c.table("", p)
	}
}

// qcExplained says what the quality-control columns of Table 1 hold.
const qcExplained = "Where measured, a failure is a true Dice below eval.fail_below: AUROC is how well a low predicted Dice detects failures; " +
	"AURC is the area under the risk-coverage curve (accepting the highest predicted Dice first, risk the mean 1 − true Dice accepted), the best ordering's in parentheses; " +
	"missed failures is the share of true failures the prediction passes; coverage and interval width are those of the conformal intervals at miscoverage eval.alpha (how they were calibrated is said below)."
