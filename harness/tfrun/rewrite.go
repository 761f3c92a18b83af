package tfrun

/*
#include "tensorflow/c/c_api.h"
*/
import "C"

import (
	"fmt"
	"reflect"
	"sync"
	"unsafe"

	tf "github.com/wamuir/graft/tensorflow"
)

// ReluGradsReadOutputs makes every ReluGrad of g that reads the input of a
// Relu read that Relu's output instead, and returns how many it changed.
//
// TensorFlow's C++ gradient of Relu (the one the C API's AddGradients
// uses) is ReluGrad(dy, x) on the Relu's input x; Python's uses the output
// y = max(x, 0). The two are equal bit for bit (y > 0 exactly where x > 0),
// but the C++ one keeps the BiasAdd that computes x alive beside the Relu.
// Grappler's remapper fuses a convolution, its BiasAdd and its Relu into one
// oneDNN primitive only when the BiasAdd has no other consumer, so without
// this rewrite every ReLU of segqa's networks runs as a separate pass over
// memory (in bfloat16, a slow one: Eigen converts each element to float and
// back).
func ReluGradsReadOutputs(g *tf.Graph) (int, error) {
	cg, err := graphPtr(g)
	if err != nil {
		return 0, err
	}
	status := C.TF_NewStatus()
	defer C.TF_DeleteStatus(status)
	changed := 0
	for _, p := range g.Operations() {
		for i := range p.NumOutputs() {
			cons := p.Output(i).Consumers()
			var relu *tf.Operation
			for _, c := range cons {
				if c.Op.Type() == "Relu" && c.Index == 0 {
					relu = c.Op
					break
				}
			}
			if relu == nil {
				continue
			}
			for _, c := range cons {
				if c.Op.Type() != "ReluGrad" || c.Index != 1 {
					continue
				}
				src := C.TF_Output{oper: opPtr(relu), index: 0}
				dst := C.TF_Input{oper: opPtr(c.Op), index: C.int(c.Index)}
				if C.TF_UpdateEdge(cg, src, dst, status); C.TF_GetCode(status) != C.TF_OK {
					return changed, fmt.Errorf("tfrun: %s reads %s: %s", c.Op.Name(), relu.Name(), C.GoString(C.TF_Message(status)))
				}
				changed++
			}
		}
	}
	return changed, nil
}

// graft keeps the C pointers of a Graph and an Operation in unexported
// fields; graphPtr and opPtr read them. layoutOK checks, once, that the
// fields are where these functions look, so that a graft that moves them
// gives an error rather than a wild pointer.
func graphPtr(g *tf.Graph) (*C.TF_Graph, error) {
	if err := layoutOK(); err != nil {
		return nil, err
	}
	return *(**C.TF_Graph)(unsafe.Pointer(g)), nil
}

func opPtr(o *tf.Operation) *C.TF_Operation {
	return *(**C.TF_Operation)(unsafe.Pointer(o))
}

var layoutOK = sync.OnceValue(func() error {
	g, o := reflect.TypeFor[tf.Graph](), reflect.TypeFor[tf.Operation]()
	if g.NumField() < 1 || g.Field(0).Name != "c" || g.Field(0).Type.Kind() != reflect.Pointer ||
		o.NumField() < 1 || o.Field(0).Name != "c" || o.Field(0).Type.Kind() != reflect.Pointer {
		return fmt.Errorf("tfrun: this graft keeps its C graph and operation pointers elsewhere; the ReluGrad rewrite needs them first")
	}
	return nil
})
