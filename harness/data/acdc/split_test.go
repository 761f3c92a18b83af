package acdc

import (
	"fmt"
	"slices"
	"testing"
)

func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("patient%03d", i+1)
	}
	return out
}

func TestSplitPatientsDisjointCovering(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 4, 7, 10, 100, 151} {
		for _, f := range [][3]float64{{0.8, 0.1, 0.1}, {8, 1, 1}, {0.5, 0.5, 0}, {1, 0, 0}, {0.6, 0.2, 0.2}} {
			in := ids(n)
			s := SplitPatients(in, f, 42)
			all := slices.Concat(s.Train, s.Val, s.Test)
			slices.Sort(all)
			if !slices.Equal(all, in) {
				t.Fatalf("n=%d %v: splits %v do not partition the patients", n, f, s)
			}
			parts := [][]string{s.Train, s.Val, s.Test}
			for i, p := range parts {
				if !slices.IsSorted(p) {
					t.Errorf("n=%d %v: split %d not sorted", n, f, i)
				}
				if n >= 3 && len(p) == 0 {
					t.Errorf("n=%d %v: split %d empty", n, f, i)
				}
			}
		}
	}
	s := SplitPatients(ids(100), [3]float64{0.8, 0.1, 0.1}, 1)
	if len(s.Train) != 80 || len(s.Val) != 10 || len(s.Test) != 10 {
		t.Errorf("100 patients at 80/10/10: %d/%d/%d", len(s.Train), len(s.Val), len(s.Test))
	}
}

func TestSplitPatientsDeterministic(t *testing.T) {
	in := ids(50)
	a := SplitPatients(in, [3]float64{0.8, 0.1, 0.1}, 9)
	rev := slices.Clone(in)
	slices.Reverse(rev)
	rev = append(rev, in[3]) // a duplicate must not be split twice
	b := SplitPatients(rev, [3]float64{0.8, 0.1, 0.1}, 9)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("same set and seed, different splits:\n%v\n%v", a, b)
	}
	c := SplitPatients(in, [3]float64{0.8, 0.1, 0.1}, 10)
	if fmt.Sprint(a) == fmt.Sprint(c) {
		t.Error("seeds 9 and 10 give the same split")
	}
	if slices.Equal(a.Val, in[40:45]) || slices.Equal(a.Train, in[:40]) {
		t.Error("split is not shuffled")
	}
}

func TestSplitPatientsPanicsOnBadFractions(t *testing.T) {
	for _, f := range [][3]float64{{0, 0, 0}, {-1, 1, 1}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("fractions %v: no panic", f)
				}
			}()
			SplitPatients(ids(5), f, 1)
		}()
	}
}

// TestSetAsideEvenOverGroups: calibration patients come evenly from the
// groups, are disjoint from the rest, and depend on the set of IDs and the
// seed alone.
func TestSetAsideEvenOverGroups(t *testing.T) {
	all := ids(40)
	group := map[string]string{}
	for i, id := range all {
		group[id] = []string{"DCM", "HCM", "MINF", "NOR", "RV"}[i%5]
		if i >= 35 {
			group[id] = "RV" // RV has 12, the others 7
		}
	}
	calib, rest := SetAside(all, group, 20, 7)
	if len(calib) != 20 || len(rest) != 20 || !slices.IsSorted(calib) || !slices.IsSorted(rest) {
		t.Fatalf("set aside %d, rest %d (sorted %v %v)", len(calib), len(rest), slices.IsSorted(calib), slices.IsSorted(rest))
	}
	if got := slices.Sorted(slices.Values(slices.Concat(calib, rest))); !slices.Equal(got, all) {
		t.Fatal("calibration and rest do not partition the patients")
	}
	per := map[string]int{}
	for _, id := range calib {
		per[group[id]]++
	}
	for g, n := range per {
		if n != 4 {
			t.Errorf("group %s gave %d calibration patients, want 4 (20 over 5 groups)", g, n)
		}
	}
	rev := slices.Clone(all)
	slices.Reverse(rev)
	if again, _ := SetAside(rev, group, 20, 7); !slices.Equal(again, calib) {
		t.Error("the order of the IDs changed the calibration patients")
	}
	if other, _ := SetAside(all, group, 20, 8); slices.Equal(other, calib) {
		t.Error("another seed drew the same calibration patients")
	}
	// A small group runs out and the others go on.
	calib, _ = SetAside(all, map[string]string{"patient001": "X"}, 39, 1)
	if len(calib) != 39 {
		t.Errorf("set aside %d of 40 with one group of one, want 39", len(calib))
	}
}
