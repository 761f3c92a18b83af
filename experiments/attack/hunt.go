package attack

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	tf "github.com/wamuir/graft/tensorflow"
)

// signHunt is the sign-flip search of SignHunter (Al-Dujaili and O'Reilly
// 2020) with square tiles, a gradient-free attack in the L∞ ball that
// needs each sample's loss: it starts every sample at x + eps (every sign
// +1), then flips the sign of one tile per sample and query and keeps the
// flip where the sample's loss rose. The tiles halve in side once every
// tile of the current side has been tried: the whole image, then
// quarters, then sixteenths, down to single pixels, after which it starts
// again from the whole image. Each sample tries a side's tiles in the
// order of how much its loss moved when their parent tile flipped, most
// first (ties in random order), so that a budget that ends within a side
// has spent it where the loss responds. Every query is one forward pass
// of the batch. X must have shape [N, H, W, C].
func (t Target) signHunt(feeds map[tf.Output]*tf.Tensor, x []float32, eps float64, queries int, rng *rand.Rand) ([]float32, error) {
	if len(t.Shape) != 4 || t.PerSample.Op == nil {
		return nil, fmt.Errorf("sign hunt: %w: it needs a per-sample loss and X of shape [N, H, W, C], got %v", ErrTarget, t.Shape)
	}
	n := int(t.Shape[0])
	g := grid{h: int(t.Shape[1]), w: int(t.Shape[2]), c: int(t.Shape[3])}
	per := g.h * g.w * g.c
	e := float32(eps)
	sgn := make([]float32, len(x))
	adv := make([]float32, len(x))
	for i := range adv {
		sgn[i] = 1
		adv[i] = t.clip(x[i] + e)
	}
	loss, err := t.losses(feeds, adv)
	if err != nil {
		return nil, err
	}
	side, tile := max(g.h, g.w), 0
	orders := make([][]int, n) // each sample's order of the tiles of side
	moved := make([][]float64, n)
	for s := range n {
		orders[s], moved[s] = []int{0}, []float64{0}
	}
	cand := make([]float32, len(x))
	for range queries - 1 {
		copy(cand, adv)
		for s := range n {
			g.each(side, orders[s][tile], func(j int) {
				j += s * per
				cand[j] = t.clip(x[j] - e*sgn[j])
			})
		}
		next, err := t.losses(feeds, cand)
		if err != nil {
			return nil, err
		}
		for s, l := range next {
			moved[s][orders[s][tile]] = math.Abs(l - loss[s])
			if l <= loss[s] {
				continue
			}
			loss[s] = l
			g.each(side, orders[s][tile], func(j int) {
				j += s * per
				sgn[j], adv[j] = -sgn[j], cand[j]
			})
		}
		if tile++; tile == len(orders[0]) {
			child := side / 2
			if child == 0 {
				child = max(g.h, g.w)
			}
			for s := range n {
				orders[s], moved[s] = g.childOrder(side, child, moved[s], rng)
			}
			tile, side = 0, child
		}
	}
	return adv, nil
}

// grid is the [H, W, C] layout of one sample.
type grid struct{ h, w, c int }

// tiles is the number of tiles of side side, row by row.
func (g grid) tiles(side int) (rows, cols int) {
	return (g.h + side - 1) / side, (g.w + side - 1) / side
}

// each calls f with the index of every element of tile k of side side.
func (g grid) each(side, k int, f func(int)) {
	_, cols := g.tiles(side)
	r0, c0 := (k/cols)*side, (k%cols)*side
	for r := r0; r < min(r0+side, g.h); r++ {
		for col := c0; col < min(c0+side, g.w); col++ {
			for ch := range g.c {
				f((r*g.w+col)*g.c + ch)
			}
		}
	}
}

// childOrder orders the tiles of side child by how much the loss moved
// when the tile of side parent holding them flipped (moved, by parent
// tile), most first, ties in random order; it returns the order and a
// zeroed record of moves for them.
func (g grid) childOrder(parent, child int, moved []float64, rng *rand.Rand) ([]int, []float64) {
	rows, cols := g.tiles(child)
	_, pCols := g.tiles(parent)
	order := rng.Perm(rows * cols)
	score := func(k int) float64 {
		if child > parent { // a new cycle from the whole image
			return 0
		}
		r, c := (k/cols)*child/parent, (k%cols)*child/parent
		return moved[r*pCols+c]
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(score(b), score(a)) })
	return order, make([]float64, rows*cols)
}

// clip keeps v in the target's range when it clips.
func (t Target) clip(v float32) float32 {
	if t.Clip {
		return min(max(v, t.Lo), t.Hi)
	}
	return v
}
