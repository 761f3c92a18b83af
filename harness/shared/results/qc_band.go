package results

// DefaultBand is eval.band's default: failure detection is measured apart
// on the test samples whose true Dice is in [0.5, 0.9), around the pass
// threshold of 0.7, where a Dice-uniform pool's easy cases (far failures
// near 0, clear passes near 1) do not help a predictor.
var DefaultBand = [2]float64{0.5, 0.9}

// CI is a 95% confidence interval [Lo, Hi].
type CI struct{ Lo, Hi float64 }

// BandQC is failure detection on the samples whose true Dice is in the
// band [Lo, Hi) (eval.band): N of them, Failures below eval.fail_below.
// NaN is "not measured" (no failure or no pass in the band).
type BandQC struct {
	Lo, Hi         float64
	N, Failures    int
	AUROC          float64
	AURC           float64
	AURCOptimal    float64
	MissedFailures float64
}

// GroupCoverage is the interval's coverage of the test samples of one
// group of patients (Info.cfg's Group): Samples of them from Patients
// patients, with a 95% interval from a bootstrap over those patients, and
// the half-width they got (their group's with eval.conformal_groups, else
// the one of every sample).
type GroupCoverage struct {
	Group             string
	Samples, Patients int
	Coverage          float64
	CI                CI
	HalfWidth         float64
}

type bandJSON struct {
	Lo             float64 `json:"lo"`
	Hi             float64 `json:"hi"`
	N              int     `json:"n"`
	Failures       int     `json:"failures"`
	AUROC          Number  `json:"auroc"`
	AURC           Number  `json:"aurc"`
	AURCOptimal    Number  `json:"aurc_optimal"`
	MissedFailures Number  `json:"missed_failures"`
}

func (b *BandQC) toJSON() *bandJSON {
	if b == nil {
		return nil
	}
	return &bandJSON{Lo: b.Lo, Hi: b.Hi, N: b.N, Failures: b.Failures, AUROC: Number(b.AUROC), AURC: Number(b.AURC),
		AURCOptimal: Number(b.AURCOptimal), MissedFailures: Number(b.MissedFailures)}
}

func (j *bandJSON) band() *BandQC {
	if j == nil {
		return nil
	}
	return &BandQC{Lo: j.Lo, Hi: j.Hi, N: j.N, Failures: j.Failures, AUROC: float64(j.AUROC), AURC: float64(j.AURC),
		AURCOptimal: float64(j.AURCOptimal), MissedFailures: float64(j.MissedFailures)}
}

type groupJSON struct {
	Group     string    `json:"group"`
	Samples   int       `json:"samples"`
	Patients  int       `json:"patients"`
	Coverage  Number    `json:"coverage"`
	CI        [2]Number `json:"coverage_ci"`
	HalfWidth Number    `json:"interval_half_width"`
}

func groupsJSON(gs []GroupCoverage) []groupJSON {
	var out []groupJSON
	for _, g := range gs {
		out = append(out, groupJSON{Group: g.Group, Samples: g.Samples, Patients: g.Patients, Coverage: Number(g.Coverage),
			CI: [2]Number{Number(g.CI.Lo), Number(g.CI.Hi)}, HalfWidth: Number(g.HalfWidth)})
	}
	return out
}

func groupsOf(js []groupJSON) []GroupCoverage {
	var out []GroupCoverage
	for _, j := range js {
		out = append(out, GroupCoverage{Group: j.Group, Samples: j.Samples, Patients: j.Patients, Coverage: float64(j.Coverage),
			CI: CI{float64(j.CI[0]), float64(j.CI[1])}, HalfWidth: float64(j.HalfWidth)})
	}
	return out
}

func ciJSON(c *CI) []Number {
	if c == nil {
		return nil
	}
	return []Number{Number(c.Lo), Number(c.Hi)}
}

func ciOf(js []Number) *CI {
	if len(js) != 2 {
		return nil
	}
	return &CI{float64(js[0]), float64(js[1])}
}
