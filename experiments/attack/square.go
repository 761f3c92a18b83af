package attack

import (
	"fmt"
	"math"
	"math/rand/v2"

	tf "github.com/wamuir/graft/tensorflow"
)

// SquareP is the Square attack's initial share of pixels a proposal
// changes, Andriushchenko et al.'s default for L∞.
const SquareP = 0.05

// square is the Square attack (Andriushchenko et al. 2020), a random search
// in the L∞ ball that needs the loss of each sample and no gradient. It
// starts from vertical stripes of ±eps; each further query proposes, for
// every sample, a square window of the perturbation set to a random ±eps
// (one sign per channel) and keeps it when the sample's loss rises. The
// window covers a share p of the image that starts at p (SquareP) and
// halves on the schedule of the paper, stretched over queries; every query
// is one forward pass of the batch. X must have shape [N, H, W, C].
func (t Target) square(feeds map[tf.Output]*tf.Tensor, x []float32, eps, p float64, queries int, rng *rand.Rand) ([]float32, error) {
	if len(t.Shape) != 4 {
		return nil, fmt.Errorf("square attack: %w: X has shape %v, want [N, H, W, C]", ErrTarget, t.Shape)
	}
	h, w, c := int(t.Shape[1]), int(t.Shape[2]), int(t.Shape[3])
	adv := make([]float32, len(x))
	for i := range len(x) / (h * w * c) {
		for col := range w {
			for ch := range c {
				s := randomSign(rng)
				for row := range h {
					j := ((i*h+row)*w+col)*c + ch
					adv[j] = x[j] + float32(eps)*s
				}
			}
		}
	}
	t.project(adv, x, eps)
	loss, err := t.losses(feeds, adv)
	if err != nil {
		return nil, err
	}
	per := len(x) / len(loss) // elements per loss value: a sample, or the batch
	for q := 1; q < queries; q++ {
		side := squareSide(p, q, queries, h, w)
		cand := append([]float32(nil), adv...)
		for i := range len(x) / (h * w * c) {
			r0, c0 := rng.IntN(h-side+1), rng.IntN(w-side+1)
			for ch := range c {
				s := float32(eps) * randomSign(rng)
				for row := r0; row < r0+side; row++ {
					for col := c0; col < c0+side; col++ {
						j := ((i*h+row)*w+col)*c + ch
						cand[j] = x[j] + s
					}
				}
			}
		}
		t.project(cand, x, eps)
		next, err := t.losses(feeds, cand)
		if err != nil {
			return nil, err
		}
		for s, l := range next {
			if l > loss[s] {
				loss[s] = l
				copy(adv[s*per:(s+1)*per], cand[s*per:(s+1)*per])
			}
		}
	}
	return adv, nil
}

func randomSign(rng *rand.Rand) float32 {
	if rng.IntN(2) == 0 {
		return -1
	}
	return 1
}

// squareSide is the window's side at query q of queries: the share p
// halves at 10, 50, 200, 500, 1000, 2000, 4000, 6000 and 8000 of 10000
// queries (Andriushchenko et al.), scaled to the budget, and the side is
// the square root of that share of the image, at least 1 pixel.
func squareSide(p float64, q, queries, h, w int) int {
	at := q * 10000 / queries
	for _, mark := range []int{10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000} {
		if at > mark {
			p /= 2
		}
	}
	side := int(math.Round(math.Sqrt(p * float64(h*w))))
	return min(max(side, 1), h, w)
}
