package nifti

import (
	"encoding/binary"
	"fmt"
)

// Volume is one NIfTI image held in memory: its grid, its placement in space
// and its voxel values.
type Volume struct {
	// Dim holds the sizes, fastest-varying first: x, y, z[, t ...]; len 1..7.
	Dim []int
	// Spacing is pixdim[1..len(Dim)] (mm for space, s for time), one per Dim.
	// Write accepts nil, meaning 1 for every axis.
	Spacing []float64
	// Data holds the voxel values with scl_slope/scl_inter applied, x fastest.
	Data []float64
	// Datatype is the on-disk type. Write stores Data in this type (Float32
	// when 0), rounding to the nearest integer for integer types and refusing
	// values the type cannot hold.
	Datatype Datatype
	// SclSlope and SclInter are as in the file; a slope of 0 (or NaN, or Inf)
	// means no scaling. With a slope, Write stores (v-SclInter)/SclSlope,
	// rounded for integer types.
	SclSlope, SclInter float64
	// QFormCode and SFormCode say which transforms are valid (0 = unknown,
	// 1 = scanner, 2 = aligned, 3 = Talairach, 4 = MNI, 5 = template).
	QFormCode, SFormCode int
	// The qform: quaternion b, c, d (a is implied), offsets and qfac (the
	// handedness, pixdim[0]: 1 or -1; Read reports 1 for a 0 in the file).
	QuaternB, QuaternC, QuaternD, QOffsetX, QOffsetY, QOffsetZ, Qfac float64
	// SRow holds the first three rows of the sform affine.
	SRow [3][4]float64
	// XYZTUnits packs the space and time unit codes.
	XYZTUnits byte
	// Descrip is free text, at most 80 bytes.
	Descrip string
	// Version is 1 or 2; Write uses 1 when 0.
	Version int
	// ByteOrder is the file's byte order; Read reports what the file had,
	// Write uses little endian when nil.
	ByteOrder binary.ByteOrder
}

// Len returns the number of voxels the dims describe (0 without dims).
func (v *Volume) Len() int {
	if len(v.Dim) == 0 {
		return 0
	}
	n := 1
	for _, d := range v.Dim {
		n *= d
	}
	return n
}

// Index returns the position in Data of the voxel at idx, one index per
// dimension, x first. It panics if idx has the wrong length or is out of
// range, as slice indexing does.
func (v *Volume) Index(idx ...int) int {
	if len(idx) != len(v.Dim) {
		panic(fmt.Sprintf("nifti: Index with %d indices for a %d-D volume", len(idx), len(v.Dim)))
	}
	pos, stride := 0, 1
	for i, x := range idx {
		if x < 0 || x >= v.Dim[i] {
			panic(fmt.Sprintf("nifti: index %d out of range [0,%d) in dimension %d", x, v.Dim[i], i))
		}
		pos += x * stride
		stride *= v.Dim[i]
	}
	return pos
}

// At returns the voxel value at idx (see Index).
func (v *Volume) At(idx ...int) float64 {
	return v.Data[v.Index(idx...)]
}
