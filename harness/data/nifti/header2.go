package nifti

import (
	"encoding/binary"
	"math"
)

// NIfTI-2 byte offsets (nifti2.h). Dims and vox_offset are int64, reals
// float64, codes and units int32.
const (
	v2Magic     = 4
	v2Datatype  = 12
	v2Bitpix    = 14
	v2Dim       = 16
	v2Pixdim    = 104
	v2VoxOffset = 168
	v2SclSlope  = 176
	v2SclInter  = 184
	v2Descrip   = 240
	v2QformCode = 344
	v2SformCode = 348
	v2Quatern   = 352
	v2Qoffset   = 376
	v2Srow      = 400
	v2Units     = 500
)

func parseV2(b []byte, o binary.ByteOrder) header {
	i16 := func(off int) int64 { return int64(int16(o.Uint16(b[off:]))) }
	i32 := func(off int) int64 { return int64(int32(o.Uint32(b[off:]))) }
	i64 := func(off int) int64 { return int64(o.Uint64(b[off:])) }
	f64 := func(off int) float64 { return math.Float64frombits(o.Uint64(b[off:])) }
	h := header{
		version:   2,
		order:     o,
		magic:     string(b[v2Magic : v2Magic+8]),
		datatype:  Datatype(i16(v2Datatype)),
		bitpix:    i16(v2Bitpix),
		voxOffset: float64(i64(v2VoxOffset)),
		sclSlope:  f64(v2SclSlope),
		sclInter:  f64(v2SclInter),
		xyztUnits: byte(i32(v2Units)),
		descrip:   cstring(b[v2Descrip : v2Descrip+80]),
		qformCode: i32(v2QformCode),
		sformCode: i32(v2SformCode),
	}
	for i := range h.dim {
		h.dim[i] = i64(v2Dim + 8*i)
		h.pixdim[i] = f64(v2Pixdim + 8*i)
	}
	for i := range 3 {
		h.quatern[i] = f64(v2Quatern + 8*i)
		h.qoffset[i] = f64(v2Qoffset + 8*i)
		for j := range 4 {
			h.srow[i][j] = f64(v2Srow + 32*i + 8*j)
		}
	}
	return h
}

// marshalV2 assumes a validated header: descrip at most 80 bytes.
func (h *header) marshalV2() []byte {
	b := make([]byte, sizeV2+extender)
	o := h.order
	put32 := func(off int, v int64) { o.PutUint32(b[off:], uint32(int32(v))) }
	put64 := func(off int, v int64) { o.PutUint64(b[off:], uint64(v)) }
	putf := func(off int, v float64) { o.PutUint64(b[off:], math.Float64bits(v)) }
	o.PutUint32(b, sizeV2)
	copy(b[v2Magic:], magicV2)
	o.PutUint16(b[v2Datatype:], uint16(h.datatype))
	o.PutUint16(b[v2Bitpix:], uint16(h.bitpix))
	put64(v2VoxOffset, int64(h.voxOffset))
	putf(v2SclSlope, h.sclSlope)
	putf(v2SclInter, h.sclInter)
	copy(b[v2Descrip:v2Descrip+80], h.descrip)
	put32(v2QformCode, h.qformCode)
	put32(v2SformCode, h.sformCode)
	put32(v2Units, int64(h.xyztUnits))
	for i := range h.dim {
		put64(v2Dim+8*i, h.dim[i])
		putf(v2Pixdim+8*i, h.pixdim[i])
	}
	for i := range 3 {
		putf(v2Quatern+8*i, h.quatern[i])
		putf(v2Qoffset+8*i, h.qoffset[i])
		for j := range 4 {
			putf(v2Srow+32*i+8*j, h.srow[i][j])
		}
	}
	return b
}
