package results

import (
	"io"
	"math"
	"reflect"
)

// QC is how well one set of predicted Dice serves quality control: how it
// flags failed segmentations (true Dice below eval.fail_below), over the
// whole pool and on the band of true Dice where that is hard (eval.band),
// and how its conformal intervals, calibrated on the calibration pool at
// miscoverage eval.alpha, cover the true Dice. NaN is "not measured".
type QC struct {
	AUROC float64 // of detecting failures from the predicted Dice, lower flags
	AUPRC float64 // average precision of the same
	// AURC is the area under the risk-coverage curve (accepting the highest
	// predicted Dice first, risk the mean 1 - true Dice accepted);
	// AURCOptimal the same area with the samples ordered by true Dice.
	AURC, AURCOptimal float64
	// MissedFailures is the share of true failures the prediction passes.
	MissedFailures float64
	// FlipRate is the share of samples whose pass/fail decision differs
	// from the clean prediction's: 0 without attack.
	FlipRate float64
	// Coverage is the share of samples whose true Dice is inside the
	// interval; IntervalWidth the interval's mean width, clipped to [0, 1];
	// HalfWidth the calibrated half-width (with eval.conformal_groups,
	// each group has its own: see Groups).
	Coverage, IntervalWidth, HalfWidth float64
	// CoverageCI is Coverage's 95% interval from a bootstrap over the test
	// pool's patients; nil where not measured (Table 2, and runs before
	// segqa measured it).
	CoverageCI *CI
	// Band is failure detection on the samples whose true Dice is in
	// eval.band; nil where not measured.
	Band *BandQC
	// Groups is the coverage of each group of patients, in the order of
	// their names; nil where not measured.
	Groups []GroupCoverage
}

// NoQC is a QC where nothing was measured.
func NoQC() QC {
	n := math.NaN()
	return QC{AUROC: n, AUPRC: n, AURC: n, AURCOptimal: n, MissedFailures: n, FlipRate: n, Coverage: n, IntervalWidth: n, HalfWidth: n}
}

// qcJSON is a QC in a table row: each measured figure under its key, the
// others left out (runs before segqa measured them have none).
type qcJSON struct {
	AUROC          *Number     `json:"auroc,omitempty"`
	AUPRC          *Number     `json:"auprc,omitempty"`
	AURC           *Number     `json:"aurc,omitempty"`
	AURCOptimal    *Number     `json:"aurc_optimal,omitempty"`
	MissedFailures *Number     `json:"missed_failures,omitempty"`
	FlipRate       *Number     `json:"flip_rate,omitempty"`
	Coverage       *Number     `json:"coverage,omitempty"`
	IntervalWidth  *Number     `json:"interval_width,omitempty"`
	HalfWidth      *Number     `json:"interval_half_width,omitempty"`
	CoverageCI     []Number    `json:"coverage_ci,omitempty"`
	Band           *bandJSON   `json:"band,omitempty"`
	Groups         []groupJSON `json:"groups,omitempty"`
}

func (q *QC) toJSON() qcJSON {
	if q == nil {
		return qcJSON{}
	}
	return qcJSON{
		AUROC: numberOrNil(q.AUROC), AUPRC: numberOrNil(q.AUPRC), AURC: numberOrNil(q.AURC),
		AURCOptimal: numberOrNil(q.AURCOptimal), MissedFailures: numberOrNil(q.MissedFailures),
		FlipRate: numberOrNil(q.FlipRate), Coverage: numberOrNil(q.Coverage),
		IntervalWidth: numberOrNil(q.IntervalWidth), HalfWidth: numberOrNil(q.HalfWidth),
		CoverageCI: ciJSON(q.CoverageCI), Band: q.Band.toJSON(), Groups: groupsJSON(q.Groups),
	}
}

func (j qcJSON) qc() *QC {
	if reflect.ValueOf(j).IsZero() {
		return nil
	}
	return &QC{
		AUROC: orNaN(j.AUROC), AUPRC: orNaN(j.AUPRC), AURC: orNaN(j.AURC), AURCOptimal: orNaN(j.AURCOptimal),
		MissedFailures: orNaN(j.MissedFailures), FlipRate: orNaN(j.FlipRate), Coverage: orNaN(j.Coverage),
		IntervalWidth: orNaN(j.IntervalWidth), HalfWidth: orNaN(j.HalfWidth),
		CoverageCI: ciOf(j.CoverageCI), Band: j.Band.band(), Groups: groupsOf(j.Groups),
	}
}

// qcSeriesJSON is a QC per ε in a Table 2 row: one list per figure, each
// as long as eps, left out when nothing was measured.
type qcSeriesJSON struct {
	AUROC          []Number `json:"auroc,omitempty"`
	AUPRC          []Number `json:"auprc,omitempty"`
	AURC           []Number `json:"aurc,omitempty"`
	AURCOptimal    []Number `json:"aurc_optimal,omitempty"`
	MissedFailures []Number `json:"missed_failures,omitempty"`
	FlipRate       []Number `json:"flip_rate,omitempty"`
	Coverage       []Number `json:"coverage,omitempty"`
	IntervalWidth  []Number `json:"interval_width,omitempty"`
	// Band is the band's failure detection at each ε, absent when not
	// measured at any.
	Band []*bandJSON `json:"band,omitempty"`
}

// fields lists the figures of a QC in the order of qcSeriesJSON.
func (q *QC) fields() []*float64 {
	return []*float64{&q.AUROC, &q.AUPRC, &q.AURC, &q.AURCOptimal, &q.MissedFailures, &q.FlipRate, &q.Coverage, &q.IntervalWidth}
}

func (j *qcSeriesJSON) fields() []*[]Number {
	return []*[]Number{&j.AUROC, &j.AUPRC, &j.AURC, &j.AURCOptimal, &j.MissedFailures, &j.FlipRate, &j.Coverage, &j.IntervalWidth}
}

func seriesJSON(qs []QC) qcSeriesJSON {
	var j qcSeriesJSON
	if qs == nil {
		return j
	}
	for f, dst := range j.fields() {
		*dst = make([]Number, len(qs))
		for i := range qs {
			(*dst)[i] = Number(*qs[i].fields()[f])
		}
	}
	for i := range qs {
		if qs[i].Band != nil {
			j.Band = make([]*bandJSON, len(qs))
			break
		}
	}
	for i := range j.Band {
		j.Band[i] = qs[i].Band.toJSON()
	}
	return j
}

// qcs reads a series back; n is the row's number of ε. Figures absent from
// the file are NaN; nil if none is there. ok is false if a list present is
// not n long.
func (j qcSeriesJSON) qcs(n int) (qs []QC, ok bool) {
	present := j.Band != nil
	if j.Band != nil && len(j.Band) != n {
		return nil, false
	}
	for _, src := range j.fields() {
		if *src != nil && len(*src) != n {
			return nil, false
		}
		present = present || *src != nil
	}
	if !present {
		return nil, true
	}
	out := make([]QC, n)
	for i := range out {
		out[i] = NoQC()
	}
	for f, src := range j.fields() {
		for i := 0; i < n && i < len(*src); i++ {
			*out[i].fields()[f] = float64((*src)[i])
		}
	}
	for i, b := range j.Band {
		out[i].Band = b.band()
	}
	return out, true
}

// Conformal is results/conformal.json: the half-width of each REG-Net's
// conformal interval, how and on which patients it was calibrated, and
// how it covered the test pool, so that segqa score can put an interval
// beside each predicted Dice and say how often such intervals held.
type Conformal struct {
	Alpha       float64 `json:"alpha"`
	FailBelow   float64 `json:"fail_below"`
	Calibration int     `json:"calibration_samples"`
	// Method is eval.conformal, split or patient; empty in files written
	// before segqa had the choice (split).
	Method string `json:"method,omitempty"`
	// Pool is the pool the intervals were calibrated on (Calib, or Val
	// without data.calib_patients; empty in older files: Val), and
	// Patients its patients.
	Pool     Split    `json:"calibration_pool,omitempty"`
	Patients []string `json:"calibration_patients,omitempty"`
	// HalfWidth is q: the interval is [pred - q, pred + q] clipped to
	// [0, 1]; 1, the whole range, when the calibration is too small for
	// alpha.
	HalfWidth map[Input]float64 `json:"half_width"`
	// Networks is each REG-Net's calibration and test coverage; absent in
	// older files.
	Networks map[Input]ConformalNetwork `json:"networks,omitempty"`
}

// ConformalNetwork is one REG-Net's interval: the pool it was calibrated
// on, its half-width (one per group with eval.conformal_groups, beside
// the marginal one), and the share of the test pool's samples it covered,
// with a 95% interval from a bootstrap over the test patients.
type ConformalNetwork struct {
	Pool           Split             `json:"calibration_pool"`
	HalfWidth      Number            `json:"half_width"`
	GroupHalfWidth map[string]Number `json:"group_half_width,omitempty"`
	Coverage       Number            `json:"test_coverage"`
	CoverageCI     [2]Number         `json:"test_coverage_ci"`
	TestPatients   int               `json:"test_patients"`
}

// Table2QC is Table 2 seen for quality control: its rows' failure
// detection, decisions and interval coverage at each ε, for a renderer to
// lay out apart from the MAE. Its JSON is Table 2's.
type Table2QC Table2

// JSON writes the table as Table2.JSON does.
func (t Table2QC) JSON(w io.Writer) error { return Table2(t).JSON(w) }

// HasQC reports whether any row of t carries quality-control figures.
func (t Table2) HasQC() bool {
	for _, r := range t.Rows {
		if r.QC != nil || r.CleanQC != nil {
			return true
		}
	}
	return false
}
