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

// Float64s widens float32 values, as fetched with Floats, for the
// statistics that take float64.
func Float64s(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}
