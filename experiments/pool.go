package experiments

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/data/acdc"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
)

// Pool is one split's Dice-uniform sample of (slice, segmentation) pairs.
type Pool struct {
	Split   results.Split `json:"split"`
	Slices  []int         `json:"slices"`  // indices into Prepared.Slices
	Sources []string      `json:"sources"` // zoo model name, or perturbation recipe
	Dice    []float64     `json:"dice"`
	Masks   [][]byte      `json:"-"` // bit-packed segmentations
}

// Len is the number of samples.
func (p *Pool) Len() int { return len(p.Slices) }

type candidate struct {
	slice  int
	model  int
	dice   float64
	source string
	mask   []byte
}

// poolSplit is one pool to draw: its split, its size and its patients;
// groups, when set, are drawn one pool of total samples each and joined
// (pool.calib_like_test).
type poolSplit struct {
	split    results.Split
	total    int
	patients []string
	groups   [][]string
}

// poolSplits lists the pools to draw: each split's, then the calibration
// patients' when there are any: pool.calib samples (0 meaning pool.val's),
// or with pool.calib_like_test pool.test samples per group of as many
// patients as the test split has.
func poolSplits(ps config.Pool, split acdc.Split) []poolSplit {
	out := []poolSplit{{split: results.Train, total: ps.Train, patients: split.Train}, {split: results.Val, total: ps.Val, patients: split.Val}, {split: results.Test, total: ps.Test, patients: split.Test}}
	switch {
	case len(split.Calib) == 0:
	case ps.CalibLikeTest:
		out = append(out, poolSplit{split: results.Calib, total: ps.Test, patients: split.Calib, groups: patientGroups(split.Calib, len(split.Test))})
	case ps.Calib == 0:
		out = append(out, poolSplit{split: results.Calib, total: ps.Val, patients: split.Calib})
	default:
		out = append(out, poolSplit{split: results.Calib, total: ps.Calib, patients: split.Calib})
	}
	return out
}

// patientGroups cuts patients, in their order, into as many groups of
// about size patients as they make (at least one); the first groups take
// one more when size does not divide them.
func patientGroups(patients []string, size int) [][]string {
	n := max(1, len(patients)/max(size, 1))
	groups := make([][]string, 0, n)
	lo := 0
	for g := range n {
		k := len(patients) / n
		if g < len(patients)%n {
			k++
		}
		groups = append(groups, patients[lo:lo+k])
		lo += k
	}
	return groups
}

// slicesOf lists the indices in idx of slices of the given patients.
func slicesOf(prep *Prepared, idx []int, patients []string) []int {
	var out []int
	for _, i := range idx {
		if slices.Contains(patients, prep.Slices[i].Patient) {
			out = append(out, i)
		}
	}
	return out
}

// drawPool draws ps's pool: one Dice-uniform pool, or with groups one per
// group of patients, joined, with the bins' counts summed; then puts it in
// slice order (Pool.bySlice) and measures its bins' areas.
func drawPool(set poolSettings, ps poolSplit, prep *Prepared, preds []*Predictions) (*Pool, results.PoolSplit, []float64, error) {
	idx := prep.Index[ps.split]
	if ps.groups == nil {
		rng := rand.New(rand.NewPCG(streamSeed(set.Seed, results.StagePool, string(ps.split)), 0))
		pool, sum, all, err := samplePool(set.Pool, ps.split, prep, idx, preds, ps.total, rng)
		if err != nil {
			return nil, sum, nil, err
		}
		pool = pool.bySlice()
		measureAreas(&sum, pool, prep)
		return pool, sum, all, nil
	}
	joined, sum := &Pool{Split: ps.split}, results.PoolSplit{}
	var all []float64
	for g, patients := range ps.groups {
		rng := rand.New(rand.NewPCG(streamSeed(set.Seed, results.StagePool, string(ps.split), fmt.Sprint(g)), 0))
		pool, s, a, err := samplePool(set.Pool, ps.split, prep, slicesOf(prep, idx, patients), preds, ps.total, rng)
		if err != nil {
			return nil, sum, nil, fmt.Errorf("calibration patients %s to %s: %w", patients[0], patients[len(patients)-1], err)
		}
		joined.Slices = append(joined.Slices, pool.Slices...)
		joined.Sources = append(joined.Sources, pool.Sources...)
		joined.Dice = append(joined.Dice, pool.Dice...)
		joined.Masks = append(joined.Masks, pool.Masks...)
		all = append(all, a...)
		sum.Samples += s.Samples
		sum.Perturbed += s.Perturbed
		if sum.Bins == nil {
			sum.Bins = make([]results.Bin, len(s.Bins))
		}
		for b, bin := range s.Bins {
			sum.Bins[b].Lo, sum.Bins[b].Hi = bin.Lo, bin.Hi
			sum.Bins[b].Available += bin.Available
			sum.Bins[b].Sampled += bin.Sampled
			sum.Bins[b].Perturbed += bin.Perturbed
		}
	}
	joined = joined.bySlice()
	measureAreas(&sum, joined, prep)
	return joined, sum, all, nil
}

// runPool draws each split's Dice-uniform pool from the zoo's
// segmentations of its slices, and the calibration pool.
func runPool(ctx context.Context, w *worker, set poolSettings, up *upstream) error {
	prep, err := up.prepared()
	if err != nil {
		return err
	}
	zoo := up.zoo(set.Zoo)
	preds := make([]*Predictions, len(zoo.models))
	for i, zm := range zoo.models {
		if preds[i], err = zoo.predictions(zm); err != nil {
			return err
		}
	}
	summary := results.Pool{}
	before := map[results.Split][]float64{}
	var pools []*Pool
	for _, ps := range poolSplits(set.Pool, prep.Split) {
		split := ps.split
		pool, sum, all, err := drawPool(set, ps, prep, preds)
		if err != nil {
			return err
		}
		sum.Patients = ps.patients
		summary[split], before[split] = sum, all
		if err := saveMasks(w.file(string(split)+".bin"), pool, pool.Masks); err != nil {
			return err
		}
		pools = append(pools, pool)
		w.logf("pool: %-5s %5d samples, %d from perturbed ground truth\n", split, pool.Len(), sum.Perturbed)
		if zoo, fill, ok := failedAreas(sum, 0.4); ok {
			w.logf("pool: %-5s below Dice 0.4, mask area over the truth's: zoo %.1f×, %s fill %.1f×\n", split, zoo, set.Pool.Fill, fill)
		}
	}
	if err := run.WriteJSON(w.file(results.PoolFile), summary); err != nil {
		return err
	}
	if !w.figures {
		return nil
	}
	return poolFigures(w, set.Pool.Bins, prep, pools, before)
}

// samplePool draws total samples of split so that each of the bins holds
// total/bins, from the zoo first and, unless pool.fill is error, from
// perturbations of the ground truth (pool.fill's recipe) for bins the zoo
// leaves short; the samples in the order drawn (drawPool sorts them).
func samplePool(ps config.Pool, split results.Split, prep *Prepared, idx []int, preds []*Predictions, total int, rng *rand.Rand) (*Pool, results.PoolSplit, []float64, error) {
	bins := ps.Bins
	need := total / bins
	byBin := make([][]candidate, bins)
	var all []float64
	if ps.Source == config.SourcePerturb {
		preds = nil // the ablation: every sample perturbs the ground truth
	}
	for m, pr := range preds {
		for _, i := range idx {
			d := pr.Dice[i]
			byBin[binOf(d, bins)] = append(byBin[binOf(d, bins)], candidate{slice: i, model: m, dice: d, source: pr.Model})
			all = append(all, d)
		}
	}
	sum := results.PoolSplit{Samples: total}
	pool := &Pool{Split: split}
	for b := range bins {
		cands := byBin[b]
		rng.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
		bs := results.Bin{Lo: float64(b) / float64(bins), Hi: float64(b+1) / float64(bins), Available: len(cands)}
		take := cands[:min(need, len(cands))]
		for _, c := range take {
			c.mask = preds[c.model].Masks[c.slice]
			pool.add(c)
		}
		bs.Sampled = len(take)
		sum.Bins = append(sum.Bins, bs)
	}
	short := 0
	for b := range bins {
		short += need - sum.Bins[b].Sampled
	}
	if short > 0 && ps.Fill == config.FillError {
		for b, bs := range sum.Bins {
			if bs.Sampled < need {
				return nil, sum, nil, fmt.Errorf("pool.fill is error: split %s, bin %d [%.2f, %.2f) has %d zoo segmentations, needs %d (short by %d)", split, b, bs.Lo, bs.Hi, bs.Sampled, need, need-bs.Sampled)
			}
		}
	}
	if short > 0 {
		if err := fillByPerturbation(pool, &sum, prep, split, idx, need, recipeOf(ps.Fill), rng); err != nil {
			return nil, sum, nil, err
		}
	}
	return pool, sum, all, nil
}

// measureAreas sets each bin's ZooArea and PerturbedArea from pool.
func measureAreas(sum *results.PoolSplit, pool *Pool, prep *Prepared) {
	bins := len(sum.Bins)
	zoo, fill := make([][2]float64, bins), make([][2]float64, bins) // sum, count
	for i, slice := range pool.Slices {
		gt := prep.Slices[slice].Mask
		g := 0
		for _, v := range gt {
			g += int(v)
		}
		if g == 0 {
			continue
		}
		a := 0
		for _, v := range unpackBits(pool.Masks[i], len(gt)) {
			a += int(v)
		}
		acc := zoo
		if strings.HasPrefix(pool.Sources[i], "perturbed:") {
			acc = fill
		}
		b := binOf(pool.Dice[i], bins)
		acc[b][0] += float64(a) / float64(g)
		acc[b][1]++
	}
	for b := range sum.Bins {
		if zoo[b][1] > 0 {
			sum.Bins[b].ZooArea = zoo[b][0] / zoo[b][1]
		}
		if fill[b][1] > 0 {
			sum.Bins[b].PerturbedArea = fill[b][0] / fill[b][1]
		}
	}
}

// failedAreas is the mean area, in units of the ground truth's, of the
// zoo's and of the perturbed segmentations in the bins below Dice below,
// bins weighted alike; ok is false unless both sources are there.
func failedAreas(sum results.PoolSplit, below float64) (zoo, fill float64, ok bool) {
	var nz, nf int
	for _, b := range sum.Bins {
		if b.Hi > below+1e-9 {
			continue
		}
		if b.ZooArea > 0 {
			zoo += b.ZooArea
			nz++
		}
		if b.PerturbedArea > 0 {
			fill += b.PerturbedArea
			nf++
		}
	}
	if nz == 0 || nf == 0 {
		return 0, 0, false
	}
	return zoo / float64(nz), fill / float64(nf), true
}

func binOf(d float64, bins int) int { return min(int(d*float64(bins)), bins-1) }

func (p *Pool) add(c candidate) {
	p.Slices = append(p.Slices, c.slice)
	p.Sources = append(p.Sources, c.source)
	p.Dice = append(p.Dice, c.dice)
	p.Masks = append(p.Masks, c.mask)
}

// bySlice is p in the order of its slices, samples of one slice in the
// order drawn.
func (p *Pool) bySlice() *Pool {
	order := make([]int, p.Len())
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return p.Slices[a] - p.Slices[b] })
	return p.reorder(order)
}

func (p *Pool) reorder(order []int) *Pool {
	out := &Pool{Split: p.Split}
	for _, i := range order {
		out.add(candidate{slice: p.Slices[i], source: p.Sources[i], dice: p.Dice[i], mask: p.Masks[i]})
	}
	return out
}
