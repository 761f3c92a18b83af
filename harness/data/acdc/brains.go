package acdc

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"

	"github.com/segqa/segqa/harness/data/nifti"
)

// Template is a real MR template with tissue maps on its grid: the MNI152
// 2009a T1 with its grey- and white-matter probability maps, as nilearn's
// wheel bundles them (1 mm, values 0 to 255).
type Template struct {
	T1, GM, WM *nifti.Volume
}

// ReadTemplate reads the T1 and the grey- and white-matter maps and checks
// that they are 3-D and share one grid; errors name the file.
func ReadTemplate(t1, gm, wm string) (*Template, error) {
	var vols [3]*nifti.Volume
	for i, path := range []string{t1, gm, wm} {
		v, err := nifti.Read(path)
		if err != nil {
			return nil, err
		}
		if len(v.Dim) != 3 || v.Dim[0] < 32 || v.Dim[1] < 32 || v.Dim[2] < 32 {
			return nil, fmt.Errorf("acdc: brains: %s: want a 3-D volume of at least 32 voxels a side, got dims %v", path, v.Dim)
		}
		if i > 0 && !slices.Equal(v.Dim, vols[0].Dim) {
			return nil, fmt.Errorf("acdc: brains: %s: dims %v do not match the T1's %v", path, v.Dim, vols[0].Dim)
		}
		vols[i] = v
	}
	return &Template{T1: vols[0], GM: vols[1], WM: vols[2]}, nil
}

// The pseudo-patients' grid: axial slices of 96 x 112 pixels at 2 mm, 9
// slices 6 mm apart (a 48 mm slab), as a clinical 2-D acquisition would
// sample a brain.
const (
	brainNx, brainNy, brainNz = 96, 112, 9
	brainInPlane, brainSlice  = 2.0, 6.0
)

// Labels of the pseudo-patients' ground truth.
const (
	BrainCSF = 1 // fluid enclosed by tissue: the ventricles and closed sulci, a small target (about 1 % of a slice)
	BrainGM  = 2 // grey matter, the default target (a thin, folded ring, like the myocardium)
	BrainWM  = 3 // white matter
)

// WriteBrains writes pseudo-patients 1..n made from tpl under root in the
// ACDC layout. Each patient is an axial slab of the template at its own
// height, seen through its own affine (rotation, anisotropic scale,
// translation) and smooth elastic deformation, with its own intensity curve
// (gamma), bias field and Rician noise. Its ED and ES frames are the same
// slab twice, the second slightly shrunk and with fresh noise. Labels are
// the tissue maps warped the same way and thresholded: BrainGM where grey
// matter has probability ≥ 0.5 and above white matter's, BrainWM likewise,
// and BrainCSF where a slice's background is enclosed by tissue (the holes
// of grey and white matter together, 4-connected).
// Info.cfg's Group says where the slab lies: LOW, MID or HIGH. Files are
// written atomically and Info.cfg last; complete patients are kept, so an
// interrupted call resumes.
func WriteBrains(root string, tpl *Template, n int, seed uint64) error {
	if n < 1 {
		return fmt.Errorf("acdc: brains %s: %d patients", root, n)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return fmt.Errorf("acdc: brains: %w", err)
	}
	t1max := slices.Max(tpl.T1.Data) // intensities are scaled by it, once for every patient
	var errs []error
	for i := 1; i <= n; i++ {
		if err := writeBrain(root, tpl, t1max, seed, i, n); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// brainPose is where and how one pseudo-patient samples the template.
type brainPose struct {
	centre     [3]float64    // template voxel at the slab's centre
	rot        [3][3]float64 // output mm to template mm, scale included
	warp, bias *coarseField  // displacement (mm) and log-bias fields
	gamma      float64
	noise      float64 // Rician σ relative to the template's maximum
	group      string
}

func newBrainPose(tpl *Template, rng *rand.Rand, i, n int) brainPose {
	d := tpl.T1.Dim
	// Slab heights spread evenly over the upper two thirds of the brain,
	// jittered, so that patients see different anatomy.
	lo, hi := 0.42*float64(d[2]), 0.72*float64(d[2])
	t := (float64(i-1) + rng.Float64()) / float64(n)
	z := lo + t*(hi-lo)
	group := [...]string{"LOW", "MID", "HIGH"}[min(2, int(3*t))]
	shift := func(mm float64) float64 { return (2*rng.Float64() - 1) * mm }
	yaw, pitch := shift(12)*math.Pi/180, shift(6)*math.Pi/180
	sx, sy, sz := 0.9+0.2*rng.Float64(), 0.9+0.2*rng.Float64(), 0.95+0.1*rng.Float64()
	cy, sy0 := math.Cos(yaw), math.Sin(yaw)
	cp, sp := math.Cos(pitch), math.Sin(pitch)
	rz := [3][3]float64{{cy, -sy0, 0}, {sy0, cy, 0}, {0, 0, 1}}
	rx := [3][3]float64{{1, 0, 0}, {0, cp, -sp}, {0, sp, cp}}
	r := matMul(rz, rx)
	for row := range 3 {
		r[row][0] *= sx
		r[row][1] *= sy
		r[row][2] *= sz
	}
	return brainPose{
		centre: [3]float64{float64(d[0])/2 + shift(5), float64(d[1])/2 + shift(5), z},
		rot:    r,
		warp:   newCoarseField(rng, 5, 3, 3.0),
		bias:   newCoarseField(rng, 3, 1, 0.2),
		gamma:  math.Exp(shift(0.35)),
		noise:  0.01 + 0.03*rng.Float64(),
		group:  group,
	}
}

func matMul(a, b [3][3]float64) [3][3]float64 {
	var c [3][3]float64
	for i := range 3 {
		for j := range 3 {
			for k := range 3 {
				c[i][j] += a[i][k] * b[k][j]
			}
		}
	}
	return c
}

// coarseField is a smooth random field: values on a k³ lattice spanning the
// output grid, interpolated trilinearly.
type coarseField struct {
	k, comps int
	v        []float64 // [k][k][k][comps]
}

func newCoarseField(rng *rand.Rand, k, comps int, sd float64) *coarseField {
	f := &coarseField{k: k, comps: comps, v: make([]float64, k*k*k*comps)}
	for i := range f.v {
		f.v[i] = sd * rng.NormFloat64()
	}
	return f
}

// at returns component c at fractional lattice position (u, v, w) in [0, 1]³.
func (f *coarseField) at(u, v, w float64, c int) float64 {
	g := float64(f.k - 1)
	return trilinear(func(i, j, l int) float64 {
		i, j, l = clampInt(i, 0, f.k-1), clampInt(j, 0, f.k-1), clampInt(l, 0, f.k-1)
		return f.v[((l*f.k+j)*f.k+i)*f.comps+c]
	}, u*g, v*g, w*g)
}

func clampInt(x, lo, hi int) int { return max(lo, min(hi, x)) }

// trilinear interpolates get at (x, y, z).
func trilinear(get func(i, j, k int) float64, x, y, z float64) float64 {
	x0, y0, z0 := math.Floor(x), math.Floor(y), math.Floor(z)
	fx, fy, fz := x-x0, y-y0, z-z0
	i, j, k := int(x0), int(y0), int(z0)
	var s float64
	for dz := range 2 {
		wz := fz
		if dz == 0 {
			wz = 1 - fz
		}
		for dy := range 2 {
			wy := fy
			if dy == 0 {
				wy = 1 - fy
			}
			for dx := range 2 {
				wx := fx
				if dx == 0 {
					wx = 1 - fx
				}
				if w := wx * wy * wz; w != 0 {
					s += w * get(i+dx, j+dy, k+dz)
				}
			}
		}
	}
	return s
}

// sampleAt interpolates v at template voxel (x, y, z); outside the grid it is 0.
func sampleAt(v *nifti.Volume, x, y, z float64) float64 {
	d := v.Dim
	return trilinear(func(i, j, k int) float64 {
		if i < 0 || j < 0 || k < 0 || i >= d[0] || j >= d[1] || k >= d[2] {
			return 0
		}
		return v.Data[(k*d[1]+j)*d[0]+i]
	}, x, y, z)
}

// render samples the template for one frame, its T1 scaled by t1max (the
// template's maximum); shrink scales the anatomy
// about the slab's centre (1 for ED).
func (p brainPose) render(tpl *Template, t1max float64, rng *rand.Rand, shrink float64) (img, lab []float64) {
	sp := tpl.T1.Spacing
	img = make([]float64, brainNx*brainNy*brainNz)
	lab = make([]float64, len(img))
	for k := range brainNz {
		for j := range brainNy {
			for i := range brainNx {
				u, v, w := float64(i)/(brainNx-1), float64(j)/(brainNy-1), float64(k)/(brainNz-1)
				o := [3]float64{
					(float64(i) - (brainNx-1)/2.0) * brainInPlane,
					(float64(j) - (brainNy-1)/2.0) * brainInPlane,
					(float64(k) - (brainNz-1)/2.0) * brainSlice,
				}
				var src [3]float64
				for a := range 3 {
					mm := p.warp.at(u, v, w, a)
					for b := range 3 {
						mm += p.rot[a][b] * o[b] / shrink
					}
					src[a] = p.centre[a] + mm/sp[a]
				}
				t1 := sampleAt(tpl.T1, src[0], src[1], src[2]) / t1max
				gm := sampleAt(tpl.GM, src[0], src[1], src[2])
				wm := sampleAt(tpl.WM, src[0], src[1], src[2])
				idx := (k*brainNy+j)*brainNx + i
				switch half := 0.5 * 255; {
				case gm >= half && gm >= wm:
					lab[idx] = BrainGM
				case wm >= half && wm > gm:
					lab[idx] = BrainWM
				}
				s := math.Pow(max(t1, 0), p.gamma) * math.Exp(p.bias.at(u, v, w, 0))
				re, im := s+p.noise*rng.NormFloat64(), p.noise*rng.NormFloat64()
				img[idx] = math.Round(1000 * math.Min(math.Hypot(re, im), 30))
			}
		}
		labelEnclosed(lab[k*brainNx*brainNy:(k+1)*brainNx*brainNy], brainNx, brainNy)
	}
	return img, lab
}

// labelEnclosed sets to BrainCSF the background pixels of one nx × ny slice
// of labels that no 4-connected path of background joins to the slice's
// edge: the fluid that tissue encloses.
func labelEnclosed(lab []float64, nx, ny int) {
	outside := make([]bool, len(lab))
	var stack []int
	push := func(x, y int) {
		if i := y*nx + x; x >= 0 && x < nx && y >= 0 && y < ny && lab[i] == 0 && !outside[i] {
			outside[i] = true
			stack = append(stack, i)
		}
	}
	for x := range nx {
		push(x, 0)
		push(x, ny-1)
	}
	for y := range ny {
		push(0, y)
		push(nx-1, y)
	}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		x, y := i%nx, i/nx
		push(x+1, y)
		push(x-1, y)
		push(x, y+1)
		push(x, y-1)
	}
	for i, l := range lab {
		if l == 0 && !outside[i] {
			lab[i] = BrainCSF
		}
	}
}

// writeBrain makes and writes pseudo-patient i of n unless it is complete.
func writeBrain(root string, tpl *Template, t1max float64, seed uint64, i, n int) error {
	id := syntheticID(i)
	dir := filepath.Join(root, id)
	if complete(dir, id) {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("acdc: brains: %w", err)
	}
	rng := rand.New(rand.NewPCG(seed, uint64(i)))
	pose := newBrainPose(tpl, rng, i, n)
	frames := []struct {
		n      int
		shrink float64
	}{{1, 1}, {2, 0.96 + 0.03*rng.Float64()}}
	for _, fr := range frames {
		img, lab := pose.render(tpl, t1max, rng, fr.shrink)
		base := filepath.Join(dir, fmt.Sprintf("%s_frame%02d", id, fr.n))
		if err := nifti.Write(base+".nii.gz", brainVolume(id, img, nifti.Int16)); err != nil {
			return err
		}
		if err := nifti.Write(base+"_gt.nii.gz", brainVolume(id, lab, nifti.Uint8)); err != nil {
			return err
		}
	}
	info := Info{ED: 1, ES: 2, NbFrame: 2, Group: pose.group}
	return writeAtomic(filepath.Join(dir, "Info.cfg"), func(f *os.File) error {
		_, err := info.WriteTo(f)
		return err
	})
}

// brainVolume wraps one frame as a NIfTI volume with its spacing and an
// axis-aligned affine centred on the grid.
func brainVolume(id string, data []float64, dt nifti.Datatype) *nifti.Volume {
	dx, dy, dz := brainInPlane, brainInPlane, brainSlice
	ox, oy, oz := -dx*(brainNx-1)/2, -dy*(brainNy-1)/2, -dz*(brainNz-1)/2
	return &nifti.Volume{
		Dim:       []int{brainNx, brainNy, brainNz},
		Spacing:   []float64{dx, dy, dz},
		Data:      data,
		Datatype:  dt,
		QFormCode: 1, SFormCode: 1, Qfac: 1,
		QOffsetX: ox, QOffsetY: oy, QOffsetZ: oz,
		SRow:      [3][4]float64{{dx, 0, 0, ox}, {0, dy, 0, oy}, {0, 0, dz, oz}},
		XYZTUnits: unitsMM,
		Descrip:   "segqa pseudo-patient from the MNI152 template " + id,
	}
}
