package acdc

import (
	"fmt"
	"math"

	"github.com/segqa/segqa/harness/data/nifti"
)

// readFrame reads an image and its ground truth and checks that they share
// a 3-D grid and spacing and that every label is 0, 1, 2 or 3.
func readFrame(imgPath, gtPath string) (*frame, error) {
	img, err := nifti.Read(imgPath)
	if err != nil {
		return nil, err
	}
	gt, err := nifti.Read(gtPath)
	if err != nil {
		return nil, err
	}
	nx, ny, nz, err := dims3(img)
	if err != nil {
		return nil, fmt.Errorf("image %s: %w: %w", imgPath, err, ErrData)
	}
	if err := sameGrid(img, gt); err != nil {
		return nil, fmt.Errorf("ground truth %s does not match image %s: %w: %w", gtPath, imgPath, err, ErrData)
	}
	dx, dy := math.Abs(img.Spacing[0]), math.Abs(img.Spacing[1])
	if !(dx > 0 && dy > 0) || math.IsInf(dx+dy, 0) {
		return nil, fmt.Errorf("image %s: in-plane spacing %g x %g mm is not positive and finite: %w",
			imgPath, img.Spacing[0], img.Spacing[1], ErrData)
	}
	labels, err := labelsOf(gt.Data, nx, ny)
	if err != nil {
		return nil, fmt.Errorf("ground truth %s: %w", gtPath, err)
	}
	return &frame{nx: nx, ny: ny, nz: nz, dx: dx, dy: dy, image: img.Data, label: labels}, nil
}

// dims3 returns the grid of a 2-D or 3-D volume; further dimensions are
// allowed only with size 1.
func dims3(v *nifti.Volume) (nx, ny, nz int, err error) {
	if len(v.Dim) < 2 {
		return 0, 0, 0, fmt.Errorf("%d-D volume, want a stack of 2-D slices", len(v.Dim))
	}
	for i, d := range v.Dim[3:] {
		if d != 1 {
			return 0, 0, 0, fmt.Errorf("dims %v: dimension %d has size %d, want one 3-D frame", v.Dim, i+4, d)
		}
	}
	nz = 1
	if len(v.Dim) > 2 {
		nz = v.Dim[2]
	}
	return v.Dim[0], v.Dim[1], nz, nil
}

// sameGrid checks that a and b have the same shape and, to 0.1 %, the same
// spacing along x, y and z.
func sameGrid(a, b *nifti.Volume) error {
	if a.Len() != b.Len() || len(trimOnes(a.Dim)) != len(trimOnes(b.Dim)) {
		return fmt.Errorf("shape %v differs from %v", b.Dim, a.Dim)
	}
	for i := range min(len(a.Dim), len(b.Dim), 3) {
		if a.Dim[i] != b.Dim[i] {
			return fmt.Errorf("shape %v differs from %v", b.Dim, a.Dim)
		}
		sa, sb := math.Abs(a.Spacing[i]), math.Abs(b.Spacing[i])
		if !(math.Abs(sa-sb) <= 1e-3*max(sa, sb)) {
			return fmt.Errorf("spacing %.6g mm differs from %.6g mm", b.Spacing, a.Spacing)
		}
	}
	return nil
}

// trimOnes drops trailing dimensions of size 1.
func trimOnes(dim []int) []int {
	for len(dim) > 0 && dim[len(dim)-1] == 1 {
		dim = dim[:len(dim)-1]
	}
	return dim
}

// labelsOf converts label values to bytes, refusing values that are not
// whole numbers in 0..3 (within 0.001, for files stored with a scale).
func labelsOf(data []float64, nx, ny int) ([]uint8, error) {
	out := make([]uint8, len(data))
	for i, v := range data {
		r := math.Round(v)
		if !(math.Abs(v-r) <= 1e-3) || r < 0 || r > 3 {
			x, y, z := i%nx, i/nx%ny, i/(nx*ny)
			return nil, fmt.Errorf("voxel (%d, %d, %d) has label %v, want 0, 1, 2 or 3: %w",
				x, y, z, v, ErrData)
		}
		out[i] = uint8(r)
	}
	return out, nil
}
