package graphs

import (
	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"
)

// Model is the struct of handles a top-level builder returns. The harness
// feeds Inputs and Target, fetches Output, Loss or InputGrads, and runs
// Train, Init, and the Saver's operations. Fields that a model does not have
// are zero.
type Model struct {
	Net *Net

	Inputs []tf.Output // placeholders [N, H, W, 1] fed by the harness, in order
	Target tf.Output   // placeholder: [N, H, W, 1] for U-Nets, [N] for regressors

	Logits tf.Output // before the head
	Output tf.Output // after the head: probabilities, reconstructions or Dice

	PerSample tf.Output // [N] loss of each sample
	Loss      tf.Output // scalar mean of PerSample
	// TrainLoss is what Train minimises: Loss, or TRADES's objective when
	// the regressor's spec sets TradesBeta.
	TrainLoss tf.Output
	MAE       tf.Output // regressors: mean |Output - Target|, what model selection uses

	// InputGrads[i] is the gradient of Loss with respect to Inputs[i].
	InputGrads []tf.Output

	LR    tf.Output     // learning-rate placeholder (default 1e-3)
	Train *tf.Operation // one Adam step; nil when nothing is trainable
	Init  *tf.Operation // initialises every variable
	Saver *Saver        // all variables, optimiser state included

	// For the proposed pipeline (d, s): the reconstruction r(x * (1 - s)),
	// the difference image d = |x - r|, and dLoss/dd. Feeding Diff overrides
	// the computed d, which is how the attack on d is run.
	Recon, Diff, DiffGrad tf.Output
	// RecSaver restores the frozen REC-Net alone from a Reconstructor's
	// checkpoint (the variable names match).
	RecSaver *Saver
	// DScale is what Diff is d divided by (DiffOptions.DScale): 0 for d as
	// the paper computes it, and for the networks without d.
	DScale float32
}

// Head is the output non-linearity.
type Head string

// The heads of segqa's networks.
const (
	Sigmoid Head = "sigmoid"
	Tanh    Head = "tanh"
	Linear  Head = "linear"
)

func applyHead(s *op.Scope, h Head, logits tf.Output) tf.Output {
	switch h {
	case Sigmoid:
		return op.Sigmoid(s.SubScope("sigmoid"), logits)
	case Tanh:
		return op.Tanh(s.SubScope("tanh"), logits)
	}
	return op.Identity(s.SubScope("identity"), logits)
}

// imageInput adds a float placeholder [N, px, px, 1].
func imageInput(s *op.Scope, name string, px int64) tf.Output {
	return op.Placeholder(s.SubScope(name), tf.Float, op.PlaceholderShape(tf.MakeShape(-1, px, px, 1)))
}

// finish adds the loss, the input gradients, the optimiser, the initialiser
// and the saver shared by every model.
func (m *Model) finish(s *op.Scope, opt Adam) *Model {
	m.Loss = MeanAll(s.SubScope("loss"), m.PerSample)
	if m.TrainLoss.Op == nil {
		m.TrainLoss = m.Loss
	}
	if len(m.Inputs) > 0 {
		m.InputGrads = op.Gradients(s.SubScope("input_gradients"), []tf.Output{m.Loss}, m.Inputs)
	}
	m.LR = op.PlaceholderWithDefault(s.SubScope("lr"), op.Const(s.SubScope("const"), float32(1e-3)), tf.ScalarShape())
	if len(m.Net.Trainable()) > 0 {
		m.Train = opt.Minimize(s.SubScope("train"), m.Net, m.TrainLoss, m.LR)
	}
	inits := make([]*tf.Operation, 0, len(m.Net.Variables()))
	for _, v := range m.Net.Variables() {
		inits = append(inits, v.Init)
	}
	m.Init = op.NoOp(s.SubScope("init").WithControlDependencies(inits...))
	m.Saver = NewSaver(s, m.Net.Variables())
	return m
}

// Segmenter is a U-Net with a sigmoid head trained to segment one structure:
// input the image, target the binary mask.
func Segmenter(s *op.Scope, spec UNetSpec, px int64, loss Loss, seed int64, opt Adam) *Model {
	n := NewNet(s, seed)
	m := &Model{Net: n, Inputs: []tf.Output{imageInput(s, "image", px)}, Target: imageInput(s, "mask", px)}
	m.Logits = n.UNet(s.SubScope("unet"), m.Inputs[0], spec)
	m.Output = applyHead(s, Sigmoid, m.Logits)
	m.PerSample = PerSample(s, loss, m.Logits, m.Output, m.Target)
	return m.finish(s, opt)
}

// Reconstructor is REC-Net: a U-Net with a tanh head trained with L1 to
// reconstruct the image (Target) from the masked image (Inputs[0]).
func Reconstructor(s *op.Scope, spec UNetSpec, px int64, seed int64, opt Adam) *Model {
	n := NewNet(s, seed)
	m := &Model{Net: n, Inputs: []tf.Output{imageInput(s, "masked", px)}, Target: imageInput(s, "image", px)}
	m.Logits = n.UNet(s.SubScope("recnet"), m.Inputs[0], spec)
	m.Output = applyHead(s, Tanh, m.Logits)
	m.PerSample = PerSample(s, L1, m.Logits, m.Output, m.Target)
	return m.finish(s, opt)
}

// Regressor is a REG-Net predicting Dice from the channels given as Inputs
// (for the baseline of Robinson et al.: the image x and the segmentation s).
func Regressor(s *op.Scope, spec RegNetSpec, px int64, inputs []string, loss Loss, seed int64, opt Adam) *Model {
	n := NewNet(s, seed)
	m := &Model{Net: n}
	for _, name := range inputs {
		m.Inputs = append(m.Inputs, imageInput(s, name, px))
	}
	return m.regress(s, spec, m.Inputs, loss, opt)
}

// DiffOptions select the ablations of the proposed pipeline.
type DiffOptions struct {
	WithImage      bool // the REG-Net sees (x, d, s) instead of (d, s)
	MaskBackground bool // REC-Net sees x * s instead of the paper's x * (1 - s)
	// DScale, when positive, divides d by it inside the graph, so that the
	// REG-Net (and Diff, the tensor an attack on d perturbs) sees d / DScale.
	// Zero leaves d as the paper computes it.
	DScale float32
}

// DiffRegressor is the proposed pipeline in one graph: a frozen REC-Net r
// (its variables are restored, never trained), d = |x - r(x * (1 - s))|, and
// a REG-Net on (d, s), d divided by o.DScale when that is set. Inputs are
// x and s; InputGrads[0] is the gradient of the loss with respect to x
// through REC-Net, for the adaptive attack.
func DiffRegressor(s *op.Scope, rec UNetSpec, spec RegNetSpec, px int64, o DiffOptions, loss Loss, seed int64, opt Adam) *Model {
	n := NewNet(s, seed)
	x, seg := imageInput(s, "image", px), imageInput(s, "seg", px)
	m := &Model{Net: n, Inputs: []tf.Output{x, seg}}
	ds := s.SubScope("difference")
	keep := op.Sub(ds.SubScope("sub"), op.Const(ds.SubScope("const"), float32(1)), seg)
	if o.MaskBackground {
		keep = seg
	}
	masked := op.Mul(ds.SubScope("mul"), x, keep)
	first := len(n.vars)
	m.Recon = op.Tanh(ds.SubScope("tanh"), n.UNet(s.SubScope("recnet"), masked, rec))
	recVars := n.vars[first:]
	for _, v := range recVars {
		v.Trainable = false
	}
	m.RecSaver = NewSaver(s.SubScope("recnet_restore"), recVars)
	m.Diff = op.Abs(ds.SubScope("abs"), op.Sub(ds.SubScope("sub"), x, m.Recon))
	if o.DScale > 0 {
		m.DScale = o.DScale
		m.Diff = op.Mul(ds.SubScope("scale"), m.Diff, op.Const(ds.SubScope("inverse_scale"), 1/o.DScale))
	}
	channels := []tf.Output{m.Diff, seg}
	if o.WithImage {
		channels = []tf.Output{x, m.Diff, seg}
	}
	m.regress(s, spec, channels, loss, opt)
	m.DiffGrad = op.Gradients(s.SubScope("diff_gradient"), []tf.Output{m.Loss}, []tf.Output{m.Diff})[0]
	return m
}

func (m *Model) regress(s *op.Scope, spec RegNetSpec, channels []tf.Output, loss Loss, opt Adam) *Model {
	m.Target = op.Placeholder(s.SubScope("dice"), tf.Float, op.PlaceholderShape(tf.MakeShape(-1)))
	x := channels[0]
	if len(channels) > 1 {
		x = op.ConcatV2(s.SubScope("concatv2"), channels, op.Const(s.SubScope("const"), int32(3)))
	}
	m.Logits = m.Net.RegNet(s.SubScope("regnet"), x, spec)
	m.Output = applyHead(s, Sigmoid, m.Logits)
	m.PerSample = PerSample(s, loss, m.Logits, m.Output, m.Target)
	m.MAE = MeanAll(s.SubScope("mae"), op.Abs(s.SubScope("abs_error"), op.Sub(s.SubScope("error"), m.Output, m.Target)))
	if spec.TradesBeta > 0 {
		m.TrainLoss = tradesLoss(s.SubScope("trades"), m.PerSample, m.Output, spec.TradesBeta)
	}
	return m.finish(s, opt)
}

// tradesLoss is the regression analogue of TRADES (Zhang et al. 2019) on a
// batch of 2N samples, N clean ones then their N adversarial examples: the
// mean loss of the clean half plus beta times the mean |f(x_adv) − f(x)|.
func tradesLoss(s *op.Scope, perSample, output tf.Output, beta float32) tf.Output {
	axis := op.Const(s.SubScope("axis"), int32(0))
	loss := op.Split(s.SubScope("split_loss"), axis, perSample, 2)
	out := op.Split(s.SubScope("split_output"), axis, output, 2)
	gap := MeanAll(s.SubScope("gap"), op.Abs(s.SubScope("abs"), op.Sub(s.SubScope("sub"), out[1], out[0])))
	weighted := op.Mul(s.SubScope("mul"), op.Const(s.SubScope("beta"), beta), gap)
	return op.Add(s.SubScope("add"), MeanAll(s.SubScope("clean"), loss[0]), weighted)
}
