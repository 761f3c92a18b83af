// Package tfrun opens TensorFlow sessions the way segqa needs them (thread
// counts and device from the config), moves data between Go slices and
// tensors without reflection over nested slices, and saves and restores
// checkpoints atomically. Every graph gets one rewrite when its session
// opens (ReluGradsReadOutputs), so that TensorFlow can fuse each
// convolution with its bias and ReLU.
//
// The function that opens a session closes it. Tensors become Go slices at
// this boundary; nothing above it handles *tf.Tensor values for long.
package tfrun
