package results

import (
	"io"
	"math"
)

// QC is how well one set of predicted Dice serves quality control: how it
// flags failed segmentations (true Dice below eval.fail_below) and how its
// split-conformal intervals, calibrated on the validation pool at
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
	// HalfWidth the calibrated half-width.
	Coverage, IntervalWidth, HalfWidth float64
}

// NoQC is a QC where nothing was measured.
func NoQC() QC {
	n := math.NaN()
	return QC{n, n, n, n, n, n, n, n, n}
}

// qcJSON is a QC in a table row: each measured figure under its key, the
// others left out (runs before segqa measured them have none).
type qcJSON struct {
	AUROC          *Number `json:"auroc,omitempty"`
	AUPRC          *Number `json:"auprc,omitempty"`
	AURC           *Number `json:"aurc,omitempty"`
	AURCOptimal    *Number `json:"aurc_optimal,omitempty"`
	MissedFailures *Number `json:"missed_failures,omitempty"`
	FlipRate       *Number `json:"flip_rate,omitempty"`
	Coverage       *Number `json:"coverage,omitempty"`
	IntervalWidth  *Number `json:"interval_width,omitempty"`
	HalfWidth      *Number `json:"interval_half_width,omitempty"`
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
	}
}

func (j qcJSON) qc() *QC {
	if j == (qcJSON{}) {
		return nil
	}
	return &QC{
		AUROC: orNaN(j.AUROC), AUPRC: orNaN(j.AUPRC), AURC: orNaN(j.AURC), AURCOptimal: orNaN(j.AURCOptimal),
		MissedFailures: orNaN(j.MissedFailures), FlipRate: orNaN(j.FlipRate), Coverage: orNaN(j.Coverage),
		IntervalWidth: orNaN(j.IntervalWidth), HalfWidth: orNaN(j.HalfWidth),
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
	return j
}

// qcs reads a series back; n is the row's number of ε. Figures absent from
// the file are NaN; nil if none is there. ok is false if a list present is
// not n long.
func (j qcSeriesJSON) qcs(n int) (qs []QC, ok bool) {
	present := false
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
	return out, true
}

// Conformal is results/conformal.json: the half-width of each REG-Net's
// split-conformal interval, calibrated on the validation pool, so that
// segqa score can put an interval beside each predicted Dice.
type Conformal struct {
	Alpha       float64 `json:"alpha"`
	FailBelow   float64 `json:"fail_below"`
	Calibration int     `json:"calibration_samples"`
	// HalfWidth is q: the interval is [pred - q, pred + q] clipped to
	// [0, 1].
	HalfWidth map[Input]float64 `json:"half_width"`
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
