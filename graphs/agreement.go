package graphs

import (
	"fmt"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"
)

// MemberScope is the scope of reference U-Net k of the agreement baseline.
// A member trains as Segmenter(root.SubScope(MemberScope(k)), …), so that
// its checkpoint's variable names are those Agreement gives it.
func MemberScope(k int) string { return fmt.Sprintf("member%d", k) }

// AgreementModel is the agreement baseline in one graph: frozen reference
// U-Nets segment the image, and the Dice of the segmentation against their
// consensus predicts its quality. The harness computes the prediction
// itself, from the members' thresholded Probs (a majority vote); SoftDice,
// the Dice of the segmentation against the members' mean probability, is
// the differentiable stand-in the attacks climb.
type AgreementModel struct {
	Image, Seg tf.Output // placeholders [N, H, W, 1]
	Target     tf.Output // [N] true Dice, which the attack's loss moves away from
	Probs      []tf.Output
	SoftDice   tf.Output // [N]
	PerSample  tf.Output // [N] |SoftDice - Target|
	Loss       tf.Output // mean of PerSample
	Grad       tf.Output // dLoss/dImage
	// Savers[k] restores member k from its Segmenter checkpoint.
	Savers []*Saver
}

// Agreement builds the agreement baseline of members U-Nets of spec on
// images of px pixels; s must be a root scope (the members' variable names
// start at it).
func Agreement(s *op.Scope, spec UNetSpec, px int64, members int) *AgreementModel {
	m := &AgreementModel{Image: imageInput(s, "image", px), Seg: imageInput(s, "seg", px)}
	m.Target = op.Placeholder(s.SubScope("dice"), tf.Float, op.PlaceholderShape(tf.MakeShape(-1)))
	var sum tf.Output
	for k := range members {
		ms := s.SubScope(MemberScope(k))
		n := NewNet(ms, 0) // restored, never initialised from the seed
		p := applyHead(ms, Sigmoid, n.UNet(ms.SubScope("unet"), m.Image, spec))
		m.Probs = append(m.Probs, p)
		m.Savers = append(m.Savers, NewSaver(ms, n.Variables()))
		if k == 0 {
			sum = p
		} else {
			sum = op.Add(s.SubScope("sum"), sum, p)
		}
	}
	cs := s.SubScope("consensus")
	mean := op.Div(cs.SubScope("div"), sum, op.Const(cs.SubScope("members"), float32(members)))
	one := op.Const(cs.SubScope("one"), float32(1))
	m.SoftDice = op.Sub(cs.SubScope("sub"), one, softDice(cs, mean, m.Seg))
	m.PerSample = op.Abs(s.SubScope("abs"), op.Sub(s.SubScope("error"), m.SoftDice, m.Target))
	m.Loss = MeanAll(s.SubScope("loss"), m.PerSample)
	m.Grad = op.Gradients(s.SubScope("input_gradients"), []tf.Output{m.Loss}, []tf.Output{m.Image})[0]
	return m
}
