package phantom

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Params sets the sampling of the phantoms. The zero value of any field
// means its default.
type Params struct {
	Size                 int     // in-plane pixels of the square grid; default 224
	SpacingMM            float64 // nominal in-plane spacing, varied ±13 % per patient; default 1.5
	SliceMM              float64 // distance between slices; default 10
	MinSlices, MaxSlices int     // bounds on the number of slices; default 6 and 10
}

// Frame is one cardiac phase: Nx*Ny*Nz values, x fastest, then y, then z
// (z = 0 is the base). Image holds intensities in [0, 32767]; Label holds
// 0 background, 1 RV cavity, 2 myocardium, 3 LV cavity.
type Frame struct {
	Image []float32
	Label []uint8
}

// Patient is one synthetic subject with the metadata of an ACDC Info.cfg.
type Patient struct {
	ID               string     // "patient001"
	Nx, Ny, Nz       int        // grid size
	Spacing          [3]float64 // mm: x, y, z
	ED, ES           int        // 1-based frame numbers of the two phases
	NbFrame          int        // frames in the (notional) cine
	Group            string     // DCM, HCM, MINF, NOR or RV
	Height, Weight   float64    // cm and kg
	EDFrame, ESFrame Frame
}

// ErrParams is wrapped by Validate for every bad value.
var ErrParams = errors.New("phantom: bad parameters")

// Defaults returns p with every zero field set to its default.
func (p Params) Defaults() Params {
	if p.Size == 0 {
		p.Size = 224
	}
	if p.SpacingMM == 0 {
		p.SpacingMM = 1.5
	}
	if p.SliceMM == 0 {
		p.SliceMM = 10
	}
	if p.MinSlices == 0 {
		p.MinSlices = 6
	}
	if p.MaxSlices == 0 {
		p.MaxSlices = max(10, p.MinSlices)
	}
	return p
}

// Validate explains every value of p (after defaults) that Generate rejects.
func (p Params) Validate() error {
	p = p.Defaults()
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrParams}, args...)...))
	}
	if p.Size < 32 {
		bad("size %d < 32 pixels", p.Size)
	}
	if !(p.SpacingMM > 0) || math.IsInf(p.SpacingMM, 0) {
		bad("in-plane spacing %g mm is not positive and finite", p.SpacingMM)
	}
	if !(p.SliceMM > 0) || math.IsInf(p.SliceMM, 0) {
		bad("slice spacing %g mm is not positive and finite", p.SliceMM)
	}
	if p.MinSlices < 2 {
		bad("min slices %d < 2 (a stack needs a base and an apex)", p.MinSlices)
	}
	if p.MaxSlices < p.MinSlices {
		bad("max slices %d < min slices %d", p.MaxSlices, p.MinSlices)
	}
	return errors.Join(errs...)
}

// Generate makes patient number n (1-based) deterministically from seed:
// the same (p, seed, n) always gives identical bytes on a given platform,
// whatever other patients were made before or at the same time. It panics
// if p is invalid (see Validate) or n < 1.
func Generate(p Params, seed uint64, n int) Patient {
	if err := p.Validate(); err != nil {
		panic(err)
	}
	if n < 1 {
		panic(fmt.Sprintf("phantom: patient number %d < 1", n))
	}
	r := newRand(seed, n, streamPatient, 0)
	grp := groups[(n-1)%len(groups)]
	pt := drawPatient(r, p.Defaults(), n, grp.name)
	heart := drawHeart(r, grp, pt.Nz)
	g := generator{
		pt:    &pt,
		seed:  seed,
		n:     n,
		heart: heart,
		body:  drawBody(r, &heart, pt.Weight),
		look:  drawLook(r),
	}
	g.render()
	return pt
}

// drawPatient draws the metadata and the grid of patient n.
func drawPatient(r *rand.Rand, p Params, n int, group string) Patient {
	pt := Patient{
		ID:    fmt.Sprintf("patient%03d", n),
		Nx:    p.Size,
		Ny:    p.Size,
		Nz:    p.MinSlices + r.IntN(p.MaxSlices-p.MinSlices+1),
		Group: group,
	}
	dxy := p.SpacingMM * uniform(r, 0.87, 1.13)
	pt.Spacing = [3]float64{dxy, dxy, p.SliceMM}
	pt.NbFrame = 20 + r.IntN(11)
	pt.ED = 1
	pt.ES = 1 + int(math.Round(float64(pt.NbFrame)*uniform(r, 0.36, 0.45)))
	pt.Height = math.Round(clamp(170+9*r.NormFloat64(), 150, 198))
	bmi := clamp(25+3.5*r.NormFloat64(), 18, 38)
	pt.Weight = math.Round(bmi * pt.Height * pt.Height / 1e4)
	return pt
}

// Random streams: each concern draws from its own PCG, so adding a draw to
// one never shifts another.
const (
	streamPatient = iota + 1
	streamTexture
	streamNoise
)

// newRand returns the PCG stream (stream, index) of patient n under seed.
func newRand(seed uint64, n int, stream, index uint64) *rand.Rand {
	s1 := mix(seed ^ mix(uint64(n)))
	s2 := mix(s1 ^ mix(stream<<32|index))
	return rand.New(rand.NewPCG(s1, s2))
}

// mix is the splitmix64 finaliser.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func uniform(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

func clamp(x, lo, hi float64) float64 { return min(max(x, lo), hi) }
