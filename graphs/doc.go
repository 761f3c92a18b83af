// Package graphs builds the TensorFlow graphs of segqa: the U-Nets of the
// segmentation zoo and REC-Net, the REG-Net regressors, their losses, the
// Adam optimiser and checkpoints.
//
// Builders compose like graft's op functions. Every block has the shape
//
//	func (n *Net) ConvReLU(s *op.Scope, x tf.Output, filters int64) tf.Output
//
// and reports errors through the sticky error of the scope, which is checked
// once, at Scope.Finalize. A Net collects the variables its blocks create, so
// a top-level builder can return a struct of handles (inputs, outputs, loss,
// train op, input gradients, save and restore ops) and the harness never
// looks an operation up by name. All operations are added before the first
// Session.Run; training and attack loops only feed and fetch.
//
// Variables are resource variables initialised from stateless random ops
// seeded by the Net's seed and the variable's index, so the same seed gives
// bit-identical initial weights. Dropout draws its mask from a stateless op
// whose seed is fed per step, so a resumed run sees the same masks as an
// uninterrupted one.
package graphs
