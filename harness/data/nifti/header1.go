package nifti

import (
	"encoding/binary"
	"math"
)

// NIfTI-1 byte offsets (nifti1.h). Integers are int16, reals float32.
const (
	v1Dim       = 40
	v1Datatype  = 70
	v1Bitpix    = 72
	v1Pixdim    = 76
	v1VoxOffset = 108
	v1SclSlope  = 112
	v1SclInter  = 116
	v1Units     = 123
	v1Descrip   = 148
	v1QformCode = 252
	v1SformCode = 254
	v1Quatern   = 256
	v1Qoffset   = 268
	v1Srow      = 280
	v1Magic     = 344
	v1Regular   = 38
)

func parseV1(b []byte, o binary.ByteOrder) header {
	i16 := func(off int) int64 { return int64(int16(o.Uint16(b[off:]))) }
	f32 := func(off int) float64 { return float64(math.Float32frombits(o.Uint32(b[off:]))) }
	h := header{
		version:   1,
		order:     o,
		magic:     string(b[v1Magic : v1Magic+4]),
		datatype:  Datatype(i16(v1Datatype)),
		bitpix:    i16(v1Bitpix),
		voxOffset: f32(v1VoxOffset),
		sclSlope:  f32(v1SclSlope),
		sclInter:  f32(v1SclInter),
		xyztUnits: b[v1Units],
		descrip:   cstring(b[v1Descrip : v1Descrip+80]),
		qformCode: i16(v1QformCode),
		sformCode: i16(v1SformCode),
	}
	for i := range h.dim {
		h.dim[i] = i16(v1Dim + 2*i)
		h.pixdim[i] = f32(v1Pixdim + 4*i)
	}
	for i := range 3 {
		h.quatern[i] = f32(v1Quatern + 4*i)
		h.qoffset[i] = f32(v1Qoffset + 4*i)
		for j := range 4 {
			h.srow[i][j] = f32(v1Srow + 16*i + 4*j)
		}
	}
	return h
}

// marshalV1 assumes a validated header: dims fit int16 and descrip 80 bytes.
func (h *header) marshalV1() []byte {
	b := make([]byte, sizeV1+extender)
	o := h.order
	put16 := func(off int, v int64) { o.PutUint16(b[off:], uint16(int16(v))) }
	putf := func(off int, v float64) { o.PutUint32(b[off:], math.Float32bits(float32(v))) }
	o.PutUint32(b, sizeV1)
	b[v1Regular] = 'r'
	put16(v1Datatype, int64(h.datatype))
	put16(v1Bitpix, h.bitpix)
	putf(v1VoxOffset, h.voxOffset)
	putf(v1SclSlope, h.sclSlope)
	putf(v1SclInter, h.sclInter)
	b[v1Units] = h.xyztUnits
	copy(b[v1Descrip:v1Descrip+80], h.descrip)
	put16(v1QformCode, h.qformCode)
	put16(v1SformCode, h.sformCode)
	for i := range h.dim {
		put16(v1Dim+2*i, h.dim[i])
		putf(v1Pixdim+4*i, h.pixdim[i])
	}
	for i := range 3 {
		putf(v1Quatern+4*i, h.quatern[i])
		putf(v1Qoffset+4*i, h.qoffset[i])
		for j := range 4 {
			putf(v1Srow+16*i+4*j, h.srow[i][j])
		}
	}
	copy(b[v1Magic:], magicV1)
	return b
}
