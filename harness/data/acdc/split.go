package acdc

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
)

// Split holds the patient IDs of each split, each list sorted.
type Split struct {
	Train []string `json:"train"`
	Val   []string `json:"val"`
	Test  []string `json:"test"`
	// Calib is the patients set aside to calibrate the conformal
	// intervals, none when the validation patients calibrate.
	Calib []string `json:"calib,omitempty"`
}

// splitStream separates the split's PCG stream from other users of the seed.
const splitStream = 0x73706c6974 // "split"

// calibStream separates SetAside's PCG stream from the split's.
const calibStream = 0x63616c6962 // "calib"

// SetAside draws n of ids for calibration, evenly over their groups
// (group[id], Info.cfg's Group; "" where unknown): the groups take turns in
// sorted order, each giving its next patient after a shuffle by a PCG
// seeded with seed, until n are drawn; a group that runs out drops out.
// It returns the patients drawn and the rest, each sorted; like
// SplitPatients, the result depends only on the set of IDs, their groups,
// n and the seed. It panics if n is negative or more than the distinct
// IDs.
func SetAside(ids []string, group map[string]string, n int, seed uint64) (calib, rest []string) {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if n < 0 || n > len(ids) {
		panic(fmt.Sprintf("acdc: set aside %d of %d patients", n, len(ids)))
	}
	byGroup := map[string][]string{}
	for _, id := range ids {
		byGroup[group[id]] = append(byGroup[group[id]], id)
	}
	names := slices.Sorted(maps.Keys(byGroup))
	rng := rand.New(rand.NewPCG(seed, calibStream))
	for _, g := range names {
		members := byGroup[g]
		rng.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
	}
	taken := map[string]bool{}
	for turn := 0; len(calib) < n; turn++ {
		for _, g := range names {
			if turn < len(byGroup[g]) && len(calib) < n {
				calib = append(calib, byGroup[g][turn])
				taken[byGroup[g][turn]] = true
			}
		}
	}
	for _, id := range ids {
		if !taken[id] {
			rest = append(rest, id)
		}
	}
	slices.Sort(calib)
	return calib, rest
}

// SplitPatients assigns every distinct ID to exactly one of train,
// validation and test, in proportion to fractions (which need not sum to
// 1), after a shuffle by a PCG seeded with seed. The result depends only on
// the set of IDs, the fractions and the seed, not on the order of ids. With
// three or more patients every split gets at least one. It panics if a
// fraction is negative or not finite, or all are zero.
func SplitPatients(ids []string, fractions [3]float64, seed uint64) Split {
	sum := 0.0
	for _, f := range fractions {
		if !(f >= 0) || math.IsInf(f, 0) {
			panic(fmt.Sprintf("acdc: split fractions %v: each must be finite and not negative", fractions))
		}
		sum += f
	}
	if sum == 0 {
		panic("acdc: split fractions are all zero")
	}
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	rand.New(rand.NewPCG(seed, splitStream)).Shuffle(len(ids), func(i, j int) {
		ids[i], ids[j] = ids[j], ids[i]
	})
	counts := splitCounts(len(ids), fractions, sum)
	s := Split{
		Train: slices.Clone(ids[:counts[0]]),
		Val:   slices.Clone(ids[counts[0] : counts[0]+counts[1]]),
		Test:  slices.Clone(ids[counts[0]+counts[1]:]),
	}
	for _, part := range [][]string{s.Train, s.Val, s.Test} {
		slices.Sort(part)
	}
	return s
}

// splitCounts shares n patients out by rounding the cumulative fractions,
// then, when n >= 3, moves patients from the largest split to any empty one.
func splitCounts(n int, fractions [3]float64, sum float64) [3]int {
	cut := func(f float64) int { return min(max(int(math.Round(float64(n)*f/sum)), 0), n) }
	b1 := cut(fractions[0])
	b2 := max(cut(fractions[0]+fractions[1]), b1)
	counts := [3]int{b1, b2 - b1, n - b2}
	if n < 3 {
		return counts
	}
	for i := range counts {
		if counts[i] == 0 {
			largest := 0
			for j := range counts {
				if counts[j] > counts[largest] {
					largest = j
				}
			}
			counts[largest]--
			counts[i]++
		}
	}
	return counts
}
