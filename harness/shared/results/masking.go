package results

import (
	"fmt"
	"io"
)

// The oracles an attack queries: the loss alone (forward passes) or its
// gradient.
const (
	OracleLoss     = "loss"
	OracleGradient = "gradient"
)

// The verdicts of a masking check.
const (
	VerdictNoMasking    = "no masking detected"
	VerdictMasking      = "masking suspected"
	VerdictInconclusive = "inconclusive: the gradient-free check lacks power"
)

// MinPower is the share of the gradient attacks' damage that the
// gradient-free attack must reach on an undefended network before its
// failure to do better on a defended one says anything.
const MinPower = 0.5

// Masking is the gradient-masking check of one network at one ε. Damage is
// an attack's MAE minus the network's clean MAE. A network that only hides
// its gradient suffers more from the gradient-free attack than from the
// gradient attacks; a network that is robust suffers little from either.
// The second tells nothing unless the gradient-free attack could have found
// the damage, which it shows on an undefended network: its power there is
// its damage over the gradient attacks'.
type Masking struct {
	Network Input   `json:"network"`
	Eps     float64 `json:"eps"`
	// FreeRow is the strongest gradient-free row at Eps, FreeAttack its
	// label, FreeDamage its damage; GradientDamage is the strongest
	// gradient attack's.
	FreeRow        RowID   `json:"free_row"` // absent in runs before rows had IDs
	FreeAttack     string  `json:"free_attack"`
	FreeDamage     float64 `json:"free_damage"`
	GradientDamage float64 `json:"gradient_damage"`
	// The same two on the undefended counterpart, and where they come
	// from: this run when its networks are undefended, else the reference
	// measured on quick.yaml (PowerSource).
	UndefendedFreeDamage     float64 `json:"undefended_free_damage"`
	UndefendedGradientDamage float64 `json:"undefended_gradient_damage"`
	PowerSource              string  `json:"power_source"`
	// Power is UndefendedFreeDamage over UndefendedGradientDamage (0 when
	// unknown).
	Power   float64 `json:"power"`
	Verdict string  `json:"verdict"`
}

// MaskingTolerance is how much more damage than the gradient attacks, in
// MAE, the gradient-free attack may do by chance before masking is
// suspected: an absolute 0.005 plus 10 % of the gradient damage.
func MaskingTolerance(gradientDamage float64) float64 { return 0.005 + 0.1*max(gradientDamage, 0) }

// Judge sets m.Power and m.Verdict from the damages m holds.
func (m *Masking) Judge() {
	m.Power = 0
	if m.UndefendedGradientDamage > 0 {
		m.Power = m.UndefendedFreeDamage / m.UndefendedGradientDamage
	}
	switch {
	case m.FreeDamage > m.GradientDamage+MaskingTolerance(m.GradientDamage):
		m.Verdict = VerdictMasking
	case m.Power >= MinPower:
		m.Verdict = VerdictNoMasking
	default:
		m.Verdict = VerdictInconclusive
	}
}

// Evidence is the check in one line.
func (m Masking) Evidence() string {
	return fmt.Sprintf("%s ε=%g: gradient-free damage %+.3f (%s), gradient %+.3f; power %.2f (%s: %+.3f of %+.3f): %s",
		m.Network.Name(), m.Eps, m.FreeDamage, m.FreeAttack, m.GradientDamage, m.Power, m.PowerSource,
		m.UndefendedFreeDamage, m.UndefendedGradientDamage, m.Verdict)
}

// Where a check's power comes from.
const (
	PowerThisRun   = "this run (undefended networks)"
	PowerQuickYAML = "reference: undefended networks of quick.yaml"
)

// PowerFromCell is the power source of a check judged against the sweep
// cell named cell, its undefended counterpart.
func PowerFromCell(cell string) string { return "sweep cell " + cell }

// Against returns m judged with the power of u, the check of the same
// network, ε and gradient-free attack on its undefended counterpart,
// found where source says: the run itself when undefended, the reference
// measured on quick.yaml, or, in a sweep, the cell of the same seed and
// settings trained without defence.
func (m Masking) Against(u Masking, source string) Masking {
	m.UndefendedFreeDamage, m.UndefendedGradientDamage, m.PowerSource = u.FreeDamage, u.GradientDamage, source
	m.Judge()
	return m
}

// referenceDamage is the damage of the gradient-free attack and of the
// strongest gradient attack on an undefended network of quick.yaml.
type referenceDamage struct {
	network        Input
	row            RowID
	eps            float64
	free, gradient float64
}

// referenceDamages are measured on the undefended networks of quick.yaml,
// seed 1, 500 test samples, with attack.strong and attack.hunt_queries 1000
// (docs/robustness.md, "A gradient-free check with power", has the command).
var referenceDamages = []referenceDamage{
	{InputXS, RowBaselineHuntx, 0.05, 0.0692, 0.1240},
	{InputXS, RowBaselineHuntx, 0.1, 0.1296, 0.2188},
	{InputXS, RowBaselineHuntx, 0.2, 0.2370, 0.3542},
	{InputXS, RowBaselineHuntx, 0.3, 0.3321, 0.4378},
	{InputDS, RowProposedHuntx, 0.05, 0.0548, 0.0882},
	{InputDS, RowProposedHuntx, 0.1, 0.1069, 0.1491},
	{InputDS, RowProposedHuntx, 0.2, 0.1737, 0.2376},
	{InputDS, RowProposedHuntx, 0.3, 0.2135, 0.2929},
}

// ReferencePower returns the damages of the attack of row on the
// undefended network of quick.yaml at eps, when they were measured.
func ReferencePower(network Input, row RowID, eps float64) (Masking, bool) {
	for _, r := range referenceDamages {
		if r.network == network && r.row == row && RoundEps(r.eps) == RoundEps(eps) {
			return Masking{FreeDamage: r.free, GradientDamage: r.gradient}, true
		}
	}
	return Masking{}, false
}

// MaskingChecks are a run's masking checks, as a table.
type MaskingChecks []Masking

// JSON writes the checks as a JSON list.
func (m MaskingChecks) JSON(w io.Writer) error { return writeJSON(w, []Masking(m)) }

// Table2Budget is Table 2 seen as its attacks' budgets, times and flipped
// decisions.
type Table2Budget Table2

// JSON writes the whole Table 2 (see Table2.JSON).
func (t Table2Budget) JSON(w io.Writer) error { return Table2(t).JSON(w) }

// HasBudget reports whether any row records its attack's budget.
func (t Table2) HasBudget() bool {
	for _, r := range t.Rows {
		if r.Oracle != "" {
			return true
		}
	}
	return false
}
