package experiments

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/data/acdc"
	"github.com/segqa/segqa/harness/shared/results"
)

func TestPatientGroups(t *testing.T) {
	p := []string{"a", "b", "c", "d", "e", "f", "g"}
	for _, c := range []struct {
		size int
		want [][]string
	}{
		{2, [][]string{{"a", "b", "c"}, {"d", "e"}, {"f", "g"}}},
		{3, [][]string{{"a", "b", "c", "d"}, {"e", "f", "g"}}},
		{10, [][]string{p}},
		{0, [][]string{{"a"}, {"b"}, {"c"}, {"d"}, {"e"}, {"f"}, {"g"}}},
	} {
		if got := patientGroups(p, c.size); !reflect.DeepEqual(got, c.want) {
			t.Errorf("size %d: %v, want %v", c.size, got, c.want)
		}
	}
}

// TestCalibLikeTestMatchesTheTestPoolsFill: when the zoo gives each slice
// segmentations in a few Dice bins only, a pool drawn from few patients
// needs more perturbed fill than one drawn from many. The calibration pool
// drawn like the test pool (groups of the test split's size, pool.test
// samples each) then needs as much fill per sample as the test pool; one
// pool over every calibration patient needs less.
func TestCalibLikeTestMatchesTheTestPoolsFill(t *testing.T) {
	const px, bins = 16, 10
	gt := ring(px, 3, 2)
	prep := &Prepared{Px: px, Index: map[results.Split][]int{}}
	split := acdc.Split{}
	var preds []*Predictions
	for m := range 4 {
		preds = append(preds, &Predictions{Model: fmt.Sprintf("m%d", m)})
	}
	for p := range 24 {
		id := fmt.Sprintf("patient%03d", p+1)
		sp := results.Test
		if p >= 4 {
			sp = results.Calib
			split.Calib = append(split.Calib, id)
		} else {
			split.Test = append(split.Test, id)
		}
		for z := range 5 {
			prep.Index[sp] = append(prep.Index[sp], len(prep.Slices))
			prep.Slices = append(prep.Slices, acdc.Slice{Patient: id, Z: z, Mask: gt})
			for m, pr := range preds {
				// each slice's zoo segmentations fall in 4 of the 10 bins, which bins by slice
				d := (float64((p*5+z+3*m)%bins) + 0.5) / bins
				pr.Dice = append(pr.Dice, d)
				pr.Masks = append(pr.Masks, packBits(gt))
			}
		}
	}
	draw := func(pool config.Pool) (results.PoolSplit, results.PoolSplit) {
		t.Helper()
		set := poolSettings{Seed: 1, Pool: pool}
		var test, calib results.PoolSplit
		for _, ps := range poolSplits(pool, split) {
			if ps.split != results.Test && ps.split != results.Calib {
				continue
			}
			_, sum, _, err := drawPool(set, ps, prep, preds)
			if err != nil {
				t.Fatal(err)
			}
			if ps.split == results.Test {
				test = sum
			} else {
				calib = sum
			}
		}
		return test, calib
	}
	base := config.Pool{Bins: bins, Train: 10, Val: 10, Test: 100, Fill: config.FillPerturb, Source: config.SourceZoo}
	whole := base
	whole.Calib = 200
	test, calib := draw(whole)
	share := func(s results.PoolSplit) float64 { return float64(s.Perturbed) / float64(s.Samples) }
	if share(calib) >= share(test)/2 {
		t.Fatalf("the test's premise: one pool over 20 patients should need far less fill than one over 4 (%.2f against %.2f)", share(calib), share(test))
	}
	like := base
	like.CalibLikeTest = true
	test2, calib2 := draw(like)
	if test2.Perturbed != test.Perturbed {
		t.Errorf("pool.calib_like_test changed the test pool (%d perturbed, then %d)", test.Perturbed, test2.Perturbed)
	}
	if calib2.Samples != 5*base.Test {
		t.Errorf("like the test pool: %d calibration samples, want 5 groups of %d", calib2.Samples, base.Test)
	}
	if d := share(calib2) - share(test2); d < -0.1 || d > 0.1 {
		t.Errorf("like the test pool: %.2f of the calibration pool is fill, %.2f of the test pool's", share(calib2), share(test2))
	}
	t.Logf("fill share: test %.2f; calibration whole %.2f, like the test %.2f", share(test), share(calib), share(calib2))
}

func TestCalibLikeTestWantsNoCalibSize(t *testing.T) {
	cfg := config.Default()
	cfg.Pool.CalibLikeTest, cfg.Pool.Calib = true, 600
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "pool.calib: must be 0 with pool.calib_like_test") {
		t.Errorf("pool.calib 600 with pool.calib_like_test: %v", err)
	}
}
