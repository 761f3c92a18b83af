package stats

import (
	"math"
	"sort"
)

// Holm adjusts the p-values of a family of tests for multiple comparisons
// by Holm's step-down method (Holm 1979), which controls the family-wise
// error rate: the k-th smallest of m p-values is multiplied by m − k + 1,
// capped at 1, and made non-decreasing in rank. NaN p-values (tests that
// could not be run) stay NaN and do not count in m. The result is in the
// order of p.
func Holm(p []float64) []float64 {
	adj := make([]float64, len(p))
	var order []int
	for i, v := range p {
		adj[i] = math.NaN()
		if !math.IsNaN(v) {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return p[order[a]] < p[order[b]] })
	m, running := len(order), 0.0
	for k, i := range order {
		running = math.Max(running, math.Min(1, float64(m-k)*p[i]))
		adj[i] = running
	}
	return adj
}
