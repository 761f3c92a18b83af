package graphs

import (
	"fmt"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"
)

// Loss names a training loss.
type Loss string

// The losses segqa trains with.
const (
	L1      Loss = "l1"       // mean absolute error
	L2      Loss = "l2"       // mean squared error
	Dice    Loss = "dice"     // soft Dice on sigmoid probabilities
	BCE     Loss = "bce"      // binary cross-entropy on logits
	DiceBCE Loss = "dice+bce" // their sum
	// BatchDiceBCE is soft Dice over the whole batch (one overlap of all its
	// pixels, as many PyTorch segmentation recipes compute it) plus each
	// sample's binary cross-entropy.
	BatchDiceBCE Loss = "batchdice+bce"
)

// Losses lists the losses PerSample knows.
var Losses = []Loss{L1, L2, Dice, BCE, DiceBCE, BatchDiceBCE}

// PerSample returns the loss of each sample, a [N] tensor. pred is the
// network output after its head (for L1 and L2) and logits its input (for
// the segmentation losses); target has pred's shape.
func PerSample(s *op.Scope, loss Loss, logits, pred, target tf.Output) tf.Output {
	switch loss {
	case L1:
		return sampleMean(s, op.Abs(s.SubScope("abs"), op.Sub(s.SubScope("sub"), pred, target)))
	case L2:
		return sampleMean(s, op.Square(s.SubScope("square"), op.Sub(s.SubScope("sub"), pred, target)))
	case Dice:
		return softDice(s, pred, target)
	case BCE:
		return sampleMean(s, bceWithLogits(s, logits, target))
	case DiceBCE:
		return op.Add(s.SubScope("add"), softDice(s, pred, target), sampleMean(s, bceWithLogits(s, logits, target)))
	case BatchDiceBCE:
		// [1] + [N]: the batch's Dice broadcast to every sample.
		return op.Add(s.SubScope("add"), batchSoftDice(s, pred, target), sampleMean(s, bceWithLogits(s, logits, target)))
	}
	s.UpdateErr("PerSample", fmt.Errorf("graphs: unknown loss %q", loss))
	return pred
}

// MeanAll reduces x over every axis.
func MeanAll(s *op.Scope, x tf.Output) tf.Output {
	return op.Mean(s.SubScope("mean"), op.Reshape(s.SubScope("reshape"), x, op.Const(s.SubScope("const"), []int64{-1})), op.Const(s.SubScope("const"), []int32{0}))
}

// sampleMean reduces [N, ...] to [N].
func sampleMean(s *op.Scope, x tf.Output) tf.Output {
	if rank(s, x) == 1 {
		return x
	}
	return op.Mean(s.SubScope("mean"), x, nonBatchAxes(s, x))
}

func sampleSum(s *op.Scope, x tf.Output) tf.Output {
	return op.Sum(s.SubScope("sum"), x, nonBatchAxes(s, x))
}

// nonBatchAxes is [1, 2, ..., rank-1] for x of static rank.
func nonBatchAxes(s *op.Scope, x tf.Output) tf.Output {
	r := rank(s, x)
	if r < 2 {
		s.UpdateErr("nonBatchAxes", fmt.Errorf("graphs: a per-sample reduction needs a static rank of 2 or more, has %d", r))
		return op.Const(s.SubScope("const"), []int32{1})
	}
	axes := make([]int32, r-1)
	for i := range axes {
		axes[i] = int32(i + 1)
	}
	return op.Const(s.SubScope("const"), axes)
}

// softDice is 1 - (2 sum(p y) + 1) / (sum p + sum y + 1) per sample; the
// smoothing term makes an empty prediction of an empty target score 0 loss.
func softDice(s *op.Scope, p, y tf.Output) tf.Output {
	one := op.Const(s.SubScope("const"), float32(1))
	inter := op.Mul(s.SubScope("mul"), op.Const(s.SubScope("const"), float32(2)), sampleSum(s, op.Mul(s.SubScope("mul"), p, y)))
	den := op.Add(s.SubScope("add"), op.Add(s.SubScope("add"), sampleSum(s, p), sampleSum(s, y)), one)
	return op.Sub(s.SubScope("sub"), one, op.Div(s.SubScope("div"), op.Add(s.SubScope("add"), inter, one), den))
}

// batchSoftDice is softDice with the whole batch as one sample, a [1]
// tensor: added to a per-sample loss it is given to each sample, so its
// mean over the batch is the batch's soft Dice loss and a sample's gradient
// depends on the whole batch's overlap, not on its own alone.
func batchSoftDice(s *op.Scope, p, y tf.Output) tf.Output {
	flat := func(x tf.Output) tf.Output {
		return op.Reshape(s.SubScope("reshape"), x, op.Const(s.SubScope("const"), []int64{1, -1}))
	}
	return softDice(s.SubScope("batch"), flat(p), flat(y))
}

// bceWithLogits is max(z, 0) - z y + log(1 + exp(-|z|)), stable for any z.
func bceWithLogits(s *op.Scope, z, y tf.Output) tf.Output {
	soft := op.Log1p(s.SubScope("log1p"), op.Exp(s.SubScope("exp"), op.Neg(s.SubScope("neg"), op.Abs(s.SubScope("abs"), z))))
	return op.Add(s.SubScope("add"), op.Sub(s.SubScope("sub"), op.Relu(s.SubScope("relu"), z), op.Mul(s.SubScope("mul"), z, y)), soft)
}
