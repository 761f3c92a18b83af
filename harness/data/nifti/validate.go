package nifti

import (
	"encoding/binary"
	"math"
)

// geometry is what a checked header promises about the payload.
type geometry struct {
	nvox   int   // number of voxels
	nbytes int   // payload size in bytes
	offset int64 // vox_offset: where the payload starts
}

// check validates a freshly parsed header before anything is allocated for
// its payload: magic, dims, datatype, vox_offset and scaling.
func (d *decoder) check(h *header) (geometry, error) {
	want, pair := magicV1, pairV1
	if h.version == 2 {
		want, pair = magicV2, pairV2
	}
	switch h.magic {
	case want:
	case pair:
		return geometry{}, d.errorf("magic %q marks a header/image pair (.hdr/.img); only single-file .nii is supported", h.magic)
	default:
		return geometry{}, d.errorf("magic is %q, want %q for a NIfTI-%d header", h.magic, want, h.version)
	}
	if h.dim[0] < 1 || h.dim[0] > 7 {
		return geometry{}, d.errorf("dim[0] is %d, want 1..7", h.dim[0])
	}
	for i := 1; i <= int(h.dim[0]); i++ {
		if h.dim[i] < 1 {
			return geometry{}, d.errorf("dim[%d] is %d, want at least 1", i, h.dim[i])
		}
	}
	if h.datatype.Size() == 0 {
		if name, ok := h.datatype.name(); ok {
			return geometry{}, d.errorf("datatype %s (code %d) is not supported", name, int16(h.datatype))
		}
		return geometry{}, d.errorf("datatype code %d is not supported", int16(h.datatype))
	}
	nvox, nbytes, ok := h.voxels()
	if !ok {
		return geometry{}, d.errorf("header says %s, which overflows the voxel count", h.shape())
	}
	hs := float64(headerSize(h.version))
	off := h.voxOffset
	if off == 0 { // as nibabel does for single files
		off = hs + extender
	}
	if !(off >= hs && off <= maxVoxOffset) || off != math.Trunc(off) {
		return geometry{}, d.errorf("vox_offset is %v, want a whole number from %v up", h.voxOffset, hs)
	}
	if int64(nbytes) > math.MaxInt64-int64(off) {
		return geometry{}, d.errorf("header says %s at vox_offset %v, which overflows the file size", h.shape(), off)
	}
	if slope, inter, ok := scaling(h.sclSlope, h.sclInter); ok && (math.IsNaN(inter) || math.IsInf(inter, 0)) {
		return geometry{}, d.errorf("scl_inter is %v with scl_slope %v", inter, slope)
	}
	return geometry{nvox: nvox, nbytes: nbytes, offset: int64(off)}, nil
}

// volumeOf turns a checked header and its scaled voxels into a Volume.
func volumeOf(h *header, data []float64) *Volume {
	n := int(h.dim[0])
	v := &Volume{
		Dim:       make([]int, n),
		Spacing:   make([]float64, n),
		Data:      data,
		Datatype:  h.datatype,
		SclSlope:  h.sclSlope,
		SclInter:  h.sclInter,
		QFormCode: int(h.qformCode),
		SFormCode: int(h.sformCode),
		QuaternB:  h.quatern[0],
		QuaternC:  h.quatern[1],
		QuaternD:  h.quatern[2],
		QOffsetX:  h.qoffset[0],
		QOffsetY:  h.qoffset[1],
		QOffsetZ:  h.qoffset[2],
		Qfac:      1,
		SRow:      h.srow,
		XYZTUnits: h.xyztUnits,
		Descrip:   h.descrip,
		Version:   h.version,
		ByteOrder: binary.LittleEndian,
	}
	if h.pixdim[0] < 0 {
		v.Qfac = -1
	}
	if h.order == binary.BigEndian {
		v.ByteOrder = binary.BigEndian
	}
	for i := range n {
		v.Dim[i] = int(h.dim[i+1])
		v.Spacing[i] = h.pixdim[i+1]
	}
	return v
}
