package results

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
)

// Errors of a Table 2 that callers test for.
var (
	// ErrShape reports a row whose per-ε slices differ in length.
	ErrShape = errors.New("results: per-epsilon slices differ in length")
	// ErrRowID reports a row without an ID, or two rows with the same.
	ErrRowID = errors.New("results: Table 2 rows need distinct IDs")
)

// Table2Row is one attack on one regressor: its MAE at each ε, beside the
// regressor's clean MAE (ε = 0) and the paper's figures where it has them.
type Table2Row struct {
	// ID is what the row is found by; Method, Input and Attack are its
	// labels (see RowID.Labels).
	ID     RowID
	Method string // e.g. MethodBaseline
	Input  string // e.g. AttackedXS
	Attack string // e.g. AttackX
	Eps    []float64
	MAE    []float64 // same length as Eps
	Std    []float64 // same length as Eps
	N      int
	// CleanMAE and CleanStd are the attacked network's MAE without attack
	// (NaN in runs before segqa recorded them).
	CleanMAE, CleanStd float64
	// PaperMAE and PaperStd are nil or the same length as Eps, NaN where
	// the paper has no figure.
	PaperMAE, PaperStd []float64
	// QC is failure detection, decisions and interval coverage at each ε
	// (nil or as long as Eps), CleanQC the same without attack; nil in runs
	// before segqa measured them. QC[k].FlipRate is the share of pass/fail
	// decisions (at Table2.FailBelow) the attack changes at the k-th ε.
	QC      []QC
	CleanQC *QC
	// Queries is the attack's budget per sample at each ε, in forward
	// passes or gradient evaluations as Oracle says (0 for the worst-case
	// rows); Seconds the attack's time per sample and ε on the machine
	// that ran it.
	Queries int
	Oracle  string
	Seconds float64
}

// Table2 is results/table2.json: the paper's Table 2, MAE of predicted
// Dice under attack, and the rows segqa adds.
type Table2 struct {
	Rows []Table2Row
	// Tie is the paired comparison of the two methods without attack;
	// TieMargin is eval.tie_margin, the margin of its equivalence test (0
	// in runs before segqa had one).
	Tie       *Tie
	TieMargin float64
	// Samples are the per-sample predictions the claims pair (nil in runs
	// before segqa stored them).
	Samples *Samples
	// Spreads say, for each attacked input, how large the table's ε are in
	// units of that input's standard deviation over the test pool (empty in
	// runs before segqa recorded it).
	Spreads []Spread
	// FailBelow is the pass threshold of the rows' QC; Masking the
	// gradient-masking check of each network at each ε (empty without the
	// gradient-free attacks).
	FailBelow float64
	Masking   []Masking
	// claims are the claims checked against the table once, when it was
	// computed (WithClaims) or read (see Claims).
	claims []Claim
}

// Claims are the claims of ClaimIDs as checked against t when it was
// computed (WithClaims, Complete) or as results/table2.json recorded them,
// with those it did not record checked on reading; nil for a table whose
// claims were never checked.
func (t Table2) Claims() []Claim { return t.claims }

// Claim is the claim with ID id (see Claims).
func (t Table2) Claim(id ClaimID) (Claim, bool) { return Claims(t.claims).Find(id) }

// WithClaims returns t with the claims checked against it, for Claims to
// return: the one place they are computed, once per table.
func (t Table2) WithClaims() Table2 {
	t.claims = t.checkClaims()
	return t
}

// Complete returns t as a stage writes it, the paper's figures on its rows
// (WithPaper with PaperTable2, matched by row ID) and the paper's claims
// checked against it (WithClaims). Readers read both back.
func (t Table2) Complete() Table2 { return t.WithPaper(PaperTable2()).WithClaims() }

// Spread is the size of the attacks on one input: x, the image, or d, the
// difference image as the (d, s) network is fed it.
type Spread struct {
	Input string  `json:"input"` // SpreadX or SpreadD
	Std   float64 `json:"std"`   // over every pixel of the test pool
	// Eps is the ε the attacks on this input applied at each of the
	// table's levels: the level itself, or with attack.eps_relative the
	// level times Std over x's Std.
	Eps []float64 `json:"eps"`
	// EpsInStd is Eps over Std: the attack's size in units of the input's
	// own spread.
	EpsInStd []float64 `json:"eps_in_std"`
}

// The inputs of a Spread.
const (
	SpreadX = "x"
	SpreadD = "d"
)

// NewSpread is the Spread of an input with standard deviation std whose
// attacks applied eps at the table's levels.
func NewSpread(input string, std float64, eps []float64) Spread {
	s := Spread{Input: input, Std: std, Eps: eps}
	for _, e := range eps {
		s.EpsInStd = append(s.EpsInStd, e/std)
	}
	return s
}

// Check reports a row whose slices differ in length.
func (r Table2Row) Check() error {
	n := len(r.Eps)
	if len(r.MAE) != n || len(r.Std) != n ||
		(r.PaperMAE != nil && len(r.PaperMAE) != n) || (r.PaperStd != nil && len(r.PaperStd) != n) ||
		(r.QC != nil && len(r.QC) != n) {
		return fmt.Errorf("%w: row %s (%s)", ErrShape, r.ID, r.Attack)
	}
	return nil
}

// Check reports the first row whose slices differ in length, a row
// without an ID or with the ID of another, and per-sample predictions that
// do not match the rows.
func (t Table2) Check() error {
	seen := map[RowID]bool{}
	for _, r := range t.Rows {
		if err := r.Check(); err != nil {
			return err
		}
		if r.ID == "" || seen[r.ID] {
			return fmt.Errorf("%w: row %q (%s)", ErrRowID, r.ID, r.Attack)
		}
		seen[r.ID] = true
	}
	if t.Samples != nil {
		return t.Samples.check(t)
	}
	return nil
}

// RoundEps rounds ε to 9 decimals, so that levels computed two ways
// compare equal.
func RoundEps(e float64) float64 { return math.Round(e*1e9) / 1e9 }

// EpsIndex is the index of ε in r.Eps, or -1.
func (r Table2Row) EpsIndex(e float64) int {
	return slices.IndexFunc(r.Eps, func(x float64) bool { return RoundEps(x) == RoundEps(e) })
}

// Epsilons lists every ε of t's rows once, in increasing order.
func (t Table2) Epsilons() []float64 {
	var all []float64
	for _, r := range t.Rows {
		for _, e := range r.Eps {
			all = append(all, RoundEps(e))
		}
	}
	slices.Sort(all)
	return slices.Compact(all)
}

// Row returns the row with ID id, or nil.
func (t Table2) Row(id RowID) *Table2Row {
	for i := range t.Rows {
		if t.Rows[i].ID == id {
			return &t.Rows[i]
		}
	}
	return nil
}

type table2JSONRow struct {
	ID       RowID    `json:"id"` // absent in runs before rows had IDs
	Method   string   `json:"method"`
	Input    string   `json:"input"`
	Attack   string   `json:"attack"`
	Eps      []Number `json:"eps"`
	MAE      []Number `json:"mae"`
	Std      []Number `json:"std"`
	N        int      `json:"n"`
	CleanMAE *Number  `json:"clean_mae,omitempty"` // absent in runs before segqa recorded it
	CleanStd *Number  `json:"clean_std,omitempty"`
	PaperMAE []Number `json:"paper_mae,omitempty"`
	PaperStd []Number `json:"paper_std,omitempty"`
	qcSeriesJSON
	Clean *qcJSON `json:"clean,omitempty"` // the QC without attack

	// Older runs also wrote "flips", the decisions flipped at each ε: the
	// same numbers as the QC's flip_rate, which is read instead.
	Queries int     `json:"queries,omitempty"`
	Oracle  string  `json:"oracle,omitempty"`
	Seconds *Number `json:"seconds_per_sample,omitempty"`
}

type table2JSON struct {
	Rows      []table2JSONRow `json:"rows"`
	Tie       *Tie            `json:"tie,omitempty"`
	TieMargin float64         `json:"tie_margin,omitempty"`
	Spreads   []Spread        `json:"spreads,omitempty"`
	FailBelow float64         `json:"fail_below,omitempty"`
	Masking   []Masking       `json:"masking,omitempty"`
	// Claims are absent in files of tables whose claims were never
	// checked; reading one checks them.
	Claims  []Claim  `json:"claims,omitempty"`
	Samples *Samples `json:"samples,omitempty"`
}

// JSON writes t as results/table2.json, with the claims as checked
// against it (see Claims) and the per-sample predictions last.
func (t Table2) JSON(w io.Writer) error {
	if err := t.Check(); err != nil {
		return err
	}
	rows := make([]table2JSONRow, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = table2JSONRow{
			ID: r.ID, Method: r.Method, Input: r.Input, Attack: r.Attack,
			Eps: numbers(nonNil(r.Eps)), MAE: numbers(nonNil(r.MAE)), Std: numbers(nonNil(r.Std)), N: r.N,
			CleanMAE: numberOrNil(r.CleanMAE), CleanStd: numberOrNil(r.CleanStd),
			PaperMAE: numbers(r.PaperMAE), PaperStd: numbers(r.PaperStd),
			qcSeriesJSON: seriesJSON(r.QC), Clean: cleanJSON(r.CleanQC),
			Queries: r.Queries, Oracle: r.Oracle,
		}
		if r.Seconds > 0 {
			rows[i].Seconds = numberOrNil(r.Seconds)
		}
	}
	return writeJSON(w, table2JSON{Rows: rows, Tie: t.Tie, TieMargin: t.TieMargin, Spreads: t.Spreads, FailBelow: t.FailBelow, Masking: t.Masking,
		Claims: t.claims, Samples: t.Samples})
}

// ReadTable2 reads what Table2.JSON writes. A file without the claims,
// written before segqa recorded them, has them checked here; one without
// some of them (before ClaimWorstX), those.
func ReadTable2(r io.Reader) (Table2, error) {
	var t Table2
	if err := json.NewDecoder(r).Decode(&t); err != nil {
		return Table2{}, fmt.Errorf("read Table 2: %w", err)
	}
	return t, nil
}

// UnmarshalJSON implements json.Unmarshaler for what Table2.JSON writes.
func (t *Table2) UnmarshalJSON(b []byte) error {
	var raw table2JSON
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	t.Rows, t.Tie, t.TieMargin, t.Spreads, t.FailBelow, t.Masking = nil, raw.Tie, raw.TieMargin, raw.Spreads, raw.FailBelow, raw.Masking
	t.Samples = raw.Samples
	for _, r := range raw.Rows {
		qc, ok := r.qcs(len(r.Eps))
		if !ok {
			return fmt.Errorf("%w: row %s (%s): quality-control lists", ErrShape, r.ID, r.Attack)
		}
		if r.ID == "" {
			id, err := legacyRowID(r.Attack)
			if err != nil {
				return err
			}
			r.ID = id
		}
		t.Rows = append(t.Rows, Table2Row{
			ID: r.ID, Method: r.Method, Input: r.Input, Attack: r.Attack, N: r.N,
			Eps: floats(r.Eps), MAE: floats(r.MAE), Std: floats(r.Std),
			CleanMAE: orNaN(r.CleanMAE), CleanStd: orNaN(r.CleanStd),
			PaperMAE: floats(r.PaperMAE), PaperStd: floats(r.PaperStd),
			QC: qc, CleanQC: r.cleanQC(),
			Queries: r.Queries, Oracle: r.Oracle,
		})
		if r.Seconds != nil {
			t.Rows[len(t.Rows)-1].Seconds = float64(*r.Seconds)
		}
	}
	for i, m := range t.Masking {
		if m.FreeRow == "" && m.FreeAttack != "" {
			id, err := legacyRowID(m.FreeAttack)
			if err != nil {
				return fmt.Errorf("masking check: %w", err)
			}
			t.Masking[i].FreeRow = id
		}
	}
	if err := t.Check(); err != nil {
		return err
	}
	*t = t.withRecordedClaims(raw.Claims)
	return nil
}

func cleanJSON(q *QC) *qcJSON {
	if q == nil {
		return nil
	}
	j := q.toJSON()
	return &j
}

func (r table2JSONRow) cleanQC() *QC {
	if r.Clean == nil {
		return nil
	}
	return r.Clean.qc()
}
