package tfrun

import (
	"fmt"

	tf "github.com/wamuir/graft/tensorflow"
)

// Float32 makes a float32 tensor of the given shape from flat data, which
// must hold exactly the product of shape elements.
func Float32(data []float32, shape ...int64) (*tf.Tensor, error) {
	n := int64(1)
	for _, d := range shape {
		n *= d
	}
	if int64(len(data)) != n {
		return nil, fmt.Errorf("tfrun: %d values for shape %v (%d elements)", len(data), shape, n)
	}
	if n == 0 {
		return nil, fmt.Errorf("tfrun: empty tensor of shape %v", shape)
	}
	t, err := tf.NewTensor(data)
	if err != nil {
		return nil, err
	}
	if err := t.Reshape(shape); err != nil {
		return nil, err
	}
	return t, nil
}

// MustFloat32 is Float32 for shapes the caller has already checked; it
// panics on a mismatch, a programmer error.
func MustFloat32(data []float32, shape ...int64) *tf.Tensor {
	t, err := Float32(data, shape...)
	if err != nil {
		panic(err)
	}
	return t
}

// Floats copies a float32 tensor of any shape into a flat slice.
func Floats(t *tf.Tensor) []float32 {
	shape := t.Shape()
	if len(shape) == 0 {
		return []float32{t.Value().(float32)}
	}
	n := int64(1)
	for _, d := range shape {
		n *= d
	}
	if len(shape) > 1 {
		flat := append([]int64(nil), shape...)
		if err := t.Reshape([]int64{n}); err != nil {
			panic(err)
		}
		defer t.Reshape(flat)
	}
	return t.Value().([]float32)
}

// Scalar returns the value of a float32 scalar tensor.
func Scalar(t *tf.Tensor) float32 { return Floats(t)[0] }
