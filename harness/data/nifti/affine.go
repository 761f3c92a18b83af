package nifti

import "math"

// Affine returns the voxel-to-world transform, mapping (i, j, k, 1) to
// (x, y, z, 1) in mm. Following the NIfTI methods, it uses the sform when
// SFormCode > 0, else the qform (quaternion, offsets, spacing and qfac) when
// QFormCode > 0, else a diagonal scaling by the spacing.
func (v *Volume) Affine() [4][4]float64 {
	switch {
	case v.SFormCode > 0:
		return [4][4]float64{v.SRow[0], v.SRow[1], v.SRow[2], {0, 0, 0, 1}}
	case v.QFormCode > 0:
		return v.qformAffine()
	}
	dx, dy, dz := v.spacing3()
	return [4][4]float64{{dx, 0, 0, 0}, {0, dy, 0, 0}, {0, 0, dz, 0}, {0, 0, 0, 1}}
}

// spacing3 returns the first three spacings, 1 for axes the volume lacks.
func (v *Volume) spacing3() (dx, dy, dz float64) {
	s := [3]float64{1, 1, 1}
	copy(s[:], v.Spacing)
	return s[0], s[1], s[2]
}

// qformAffine is method 2 of nifti1.h: a rotation from the unit quaternion
// (a, b, c, d), columns scaled by the spacing (z by qfac), then the offsets.
func (v *Volume) qformAffine() [4][4]float64 {
	r := quaternionRotation(v.QuaternB, v.QuaternC, v.QuaternD)
	dx, dy, dz := v.spacing3()
	if v.Qfac < 0 {
		dz = -dz
	}
	scale := [3]float64{dx, dy, dz}
	offset := [3]float64{v.QOffsetX, v.QOffsetY, v.QOffsetZ}
	var m [4][4]float64
	for i := range 3 {
		for j := range 3 {
			m[i][j] = r[i][j] * scale[j]
		}
		m[i][3] = offset[i]
	}
	m[3][3] = 1
	return m
}

// quaternionRotation computes a from b, c, d as nifti1_io does: when
// b²+c²+d² is (nearly) 1 or more, the vector is renormalised and a is 0.
func quaternionRotation(b, c, d float64) [3][3]float64 {
	a := 1 - (b*b + c*c + d*d)
	if a < 1e-7 {
		n := 1 / math.Sqrt(b*b+c*c+d*d)
		b, c, d, a = b*n, c*n, d*n, 0
	} else {
		a = math.Sqrt(a)
	}
	return [3][3]float64{
		{a*a + b*b - c*c - d*d, 2 * (b*c - a*d), 2 * (b*d + a*c)},
		{2 * (b*c + a*d), a*a + c*c - b*b - d*d, 2 * (c*d - a*b)},
		{2 * (b*d - a*c), 2 * (c*d + a*b), a*a + d*d - c*c - b*b},
	}
}
