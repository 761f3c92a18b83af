package nifti

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Datatype is a NIfTI datatype code: the on-disk type of one voxel.
type Datatype int16

// The datatypes this package reads and writes.
const (
	Uint8   Datatype = 2
	Int16   Datatype = 4
	Int32   Datatype = 8
	Float32 Datatype = 16
	Float64 Datatype = 64
	Int8    Datatype = 256
	Uint16  Datatype = 512
	Uint32  Datatype = 768
	Int64   Datatype = 1024
	Uint64  Datatype = 1280
)

func (d Datatype) String() string {
	if name, ok := d.name(); ok {
		return name
	}
	return fmt.Sprintf("datatype(%d)", int16(d))
}

// name returns the standard's name for d, including the codes this package
// does not support, so that an error can say what a file holds.
func (d Datatype) name() (string, bool) {
	switch d {
	case Uint8:
		return "uint8", true
	case Int8:
		return "int8", true
	case Int16:
		return "int16", true
	case Uint16:
		return "uint16", true
	case Int32:
		return "int32", true
	case Uint32:
		return "uint32", true
	case Int64:
		return "int64", true
	case Uint64:
		return "uint64", true
	case Float32:
		return "float32", true
	case Float64:
		return "float64", true
	case 1:
		return "binary", true
	case 32:
		return "complex64", true
	case 128:
		return "rgb24", true
	case 1536:
		return "float128", true
	case 1792:
		return "complex128", true
	case 2048:
		return "complex256", true
	case 2304:
		return "rgba32", true
	}
	return "", false
}

// Size is the number of bytes per voxel, or 0 if d is not supported.
func (d Datatype) Size() int {
	switch d {
	case Uint8, Int8:
		return 1
	case Int16, Uint16:
		return 2
	case Int32, Uint32, Float32:
		return 4
	case Int64, Uint64, Float64:
		return 8
	}
	return 0
}

// IsInteger reports whether d is one of the supported integer types.
func (d Datatype) IsInteger() bool {
	return d.Size() > 0 && d != Float32 && d != Float64
}

// limits gives the smallest and largest float64 that d can store exactly in
// range (for the 64-bit integers, the largest float64 not above the maximum).
func (d Datatype) limits() (lo, hi float64) {
	switch d {
	case Uint8:
		return 0, math.MaxUint8
	case Int8:
		return math.MinInt8, math.MaxInt8
	case Int16:
		return math.MinInt16, math.MaxInt16
	case Uint16:
		return 0, math.MaxUint16
	case Int32:
		return math.MinInt32, math.MaxInt32
	case Uint32:
		return 0, math.MaxUint32
	case Int64:
		return math.MinInt64, math.Nextafter(1<<63, 0)
	case Uint64:
		return 0, math.Nextafter(1<<64, 0)
	case Float32:
		return -math.MaxFloat32, math.MaxFloat32
	}
	return math.Inf(-1), math.Inf(1)
}

// decode converts len(dst) voxels of type d from src, which it may
// byte-swap in place.
func (d Datatype) decode(dst []float64, src []byte, o binary.ByteOrder) {
	if o != binary.LittleEndian {
		swap(src[:len(dst)*d.Size()], d.Size())
	}
	le := binary.LittleEndian
	switch d {
	case Uint8:
		for i := range dst {
			dst[i] = float64(src[i])
		}
	case Int8:
		for i := range dst {
			dst[i] = float64(int8(src[i]))
		}
	case Int16:
		for i := range dst {
			dst[i] = float64(int16(le.Uint16(src[2*i:])))
		}
	case Uint16:
		for i := range dst {
			dst[i] = float64(le.Uint16(src[2*i:]))
		}
	case Int32:
		for i := range dst {
			dst[i] = float64(int32(le.Uint32(src[4*i:])))
		}
	case Uint32:
		for i := range dst {
			dst[i] = float64(le.Uint32(src[4*i:]))
		}
	case Float32:
		for i := range dst {
			dst[i] = float64(math.Float32frombits(le.Uint32(src[4*i:])))
		}
	case Int64:
		for i := range dst {
			dst[i] = float64(int64(le.Uint64(src[8*i:])))
		}
	case Uint64:
		for i := range dst {
			dst[i] = float64(le.Uint64(src[8*i:]))
		}
	case Float64:
		for i := range dst {
			dst[i] = math.Float64frombits(le.Uint64(src[8*i:]))
		}
	}
}

// encode stores the voxels of src, already checked against limits and
// rounded for integer types, into dst.
func (d Datatype) encode(dst []byte, src []float64, o binary.ByteOrder) {
	le := binary.LittleEndian
	switch d {
	case Uint8:
		for i, q := range src {
			dst[i] = uint8(q)
		}
	case Int8:
		for i, q := range src {
			dst[i] = uint8(int8(q))
		}
	case Int16:
		for i, q := range src {
			le.PutUint16(dst[2*i:], uint16(int16(q)))
		}
	case Uint16:
		for i, q := range src {
			le.PutUint16(dst[2*i:], uint16(q))
		}
	case Int32:
		for i, q := range src {
			le.PutUint32(dst[4*i:], uint32(int32(q)))
		}
	case Uint32:
		for i, q := range src {
			le.PutUint32(dst[4*i:], uint32(q))
		}
	case Float32:
		for i, q := range src {
			le.PutUint32(dst[4*i:], math.Float32bits(float32(q)))
		}
	case Int64:
		for i, q := range src {
			le.PutUint64(dst[8*i:], uint64(int64(q)))
		}
	case Uint64:
		for i, q := range src {
			le.PutUint64(dst[8*i:], uint64(q))
		}
	case Float64:
		for i, q := range src {
			le.PutUint64(dst[8*i:], math.Float64bits(q))
		}
	}
	if o != binary.LittleEndian {
		swap(dst[:len(src)*d.Size()], d.Size())
	}
}

// swap reverses the bytes of each size-byte word of b in place.
func swap(b []byte, size int) {
	for i := 0; i+size <= len(b); i += size {
		for j, k := i, i+size-1; j < k; j, k = j+1, k-1 {
			b[j], b[k] = b[k], b[j]
		}
	}
}
