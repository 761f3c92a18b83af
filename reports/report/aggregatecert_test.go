package report

import (
	"math"
	"testing"

	"github.com/segqa/segqa/harness/shared/results"
)

func TestCertifiedOverSeeds(t *testing.T) {
	row := func(radius, mae, bound, abstain float64) results.CertifiedRow {
		return results.CertifiedRow{Input: results.InputDS, Method: "proposed (d, s)", Sigma: 0.25, Radius: radius, N: 10,
			SmoothedMAE: results.Number(mae), ErrorBound: results.Number(bound), Decisions: 0.9, CorrectDecisions: 0.8, Abstain: results.Number(abstain)}
	}
	seeds := []results.Certified{
		{Rows: []results.CertifiedRow{row(0.1, 0.10, 0.12, 0), row(0.25, 0.10, math.NaN(), 1)}},
		{Rows: []results.CertifiedRow{row(0.1, 0.20, 0.22, 0), row(0.25, 0.20, 0.30, 0)}},
	}
	rows := certifiedOver("s", seeds)
	if len(rows) != 2 {
		t.Fatalf("rows %q, want one per radius", rows)
	}
	// 0.10 and 0.20: mean 0.150, sample std 0.0707.
	want := []string{"s", "proposed (d, s)", "0.25", "0.1", "2", "0.150 ± 0.071", "0.170 ± 0.071", "0.900 ± 0.000", "0.800 ± 0.000", "0.000 ± 0.000"}
	for i, w := range want {
		if rows[0][i] != w {
			t.Errorf("radius 0.1, column %d: %q, want %q", i, rows[0][i], w)
		}
	}
	// The bound of a seed where every sample abstained is left out: one seed
	// left, no std.
	if got := rows[1][6]; got != "0.300" {
		t.Errorf("radius 0.25 bound %q, want 0.300 from the one seed that certified", got)
	}
	if got := rows[1][9]; got != "0.500 ± 0.707" {
		t.Errorf("radius 0.25 abstain %q", got)
	}
	if len(certifiedOver("s", nil)) != 0 {
		t.Error("rows without certified tables")
	}
}
