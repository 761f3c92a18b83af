package tfrun

import tf "github.com/wamuir/graft/tensorflow"

// With returns a copy of feeds with k fed v: a session run that changes
// one input, leaving the caller's feeds as they were.
func With(feeds map[tf.Output]*tf.Tensor, k tf.Output, v *tf.Tensor) map[tf.Output]*tf.Tensor {
	f := make(map[tf.Output]*tf.Tensor, len(feeds)+1)
	for a, b := range feeds {
		f[a] = b
	}
	f[k] = v
	return f
}
