package graphs

import (
	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"
)

// Saver saves and restores variables in TensorFlow's checkpoint format
// (SaveV2/RestoreV2, one shard), which tf.train.load_checkpoint reads. The
// checkpoint key of each variable is its Name.
type Saver struct {
	Prefix  tf.Output // string scalar: path prefix of the .index and .data files
	Save    *tf.Operation
	Restore *tf.Operation
	Names   []string
}

// NewSaver adds save and restore operations for vars.
func NewSaver(s *op.Scope, vars []*Variable) *Saver {
	s = s.SubScope("saver")
	names := make([]string, len(vars))
	slices := make([]string, len(vars))
	values := make([]tf.Output, len(vars))
	dtypes := make([]tf.DataType, len(vars))
	for i, v := range vars {
		names[i], values[i], dtypes[i] = v.Name, v.Value, tf.Float
	}
	prefix := op.Placeholder(s.SubScope("prefix"), tf.String, op.PlaceholderShape(tf.ScalarShape()))
	nameT, sliceT := op.Const(s.SubScope("const"), names), op.Const(s.SubScope("const"), slices)
	save := op.SaveV2(s.SubScope("savev2"), prefix, nameT, sliceT, values)
	restored := op.RestoreV2(s.SubScope("restorev2"), prefix, nameT, sliceT, dtypes)
	assigns := make([]*tf.Operation, len(vars))
	for i, v := range vars {
		if i < len(restored) {
			assigns[i] = op.AssignVariableOp(s.SubScope("assign_variable_op"), v.Handle, restored[i])
		}
	}
	restore := op.NoOp(s.WithControlDependencies(assigns...))
	return &Saver{Prefix: prefix, Save: save, Restore: restore, Names: names}
}
