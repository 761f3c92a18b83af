package phantom

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"reflect"
	"runtime"
	"sync"
	"testing"
)

// cohort is shared by the tests: every group three times, 4 to 12 slices.
var cohort = sync.OnceValue(func() []Patient {
	var ps []Patient
	for n := 1; n <= 15; n++ {
		ps = append(ps, Generate(Params{MinSlices: 4, MaxSlices: 12}, 7, n))
	}
	return ps
})

func frameBytes(f Frame) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, f.Image)
	b.Write(f.Label)
	return b.Bytes()
}

func TestDeterministic(t *testing.T) {
	p := Params{Size: 160, MinSlices: 4, MaxSlices: 5}
	a := Generate(p, 42, 3)
	Generate(p, 42, 2) // another patient in between must not matter
	procs := runtime.GOMAXPROCS(1)
	b := Generate(p, 42, 3) // nor the number of slices rendered at once
	runtime.GOMAXPROCS(procs)
	for i, pair := range [][2]Frame{{a.EDFrame, b.EDFrame}, {a.ESFrame, b.ESFrame}} {
		if !bytes.Equal(frameBytes(pair[0]), frameBytes(pair[1])) {
			t.Errorf("frame %d differs between two calls with the same arguments", i)
		}
	}
	a.EDFrame, a.ESFrame, b.EDFrame, b.ESFrame = Frame{}, Frame{}, Frame{}, Frame{}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("metadata differs: %+v vs %+v", a, b)
	}
	c := Generate(p, 42, 4)
	if bytes.Equal(frameBytes(Generate(p, 42, 3).EDFrame), frameBytes(c.EDFrame)) {
		t.Error("patients 3 and 4 are identical")
	}
	d := Generate(p, 43, 3)
	if bytes.Equal(frameBytes(Generate(p, 42, 3).EDFrame), frameBytes(d.EDFrame)) {
		t.Error("seeds 42 and 43 give identical patient 3")
	}
}

func TestMetadata(t *testing.T) {
	p := Params{MinSlices: 7, MaxSlices: 9}
	for n := 1; n <= 15; n++ {
		pt := Generate(p, 1, n)
		if pt.Nz < 7 || pt.Nz > 9 {
			t.Errorf("%s: %d slices, want 7..9", pt.ID, pt.Nz)
		}
		if pt.Nx != 224 || pt.Ny != 224 || len(pt.EDFrame.Image) != 224*224*pt.Nz ||
			len(pt.ESFrame.Label) != 224*224*pt.Nz {
			t.Errorf("%s: bad size %dx%dx%d", pt.ID, pt.Nx, pt.Ny, pt.Nz)
		}
		if s := pt.Spacing; s[0] < 1.3 || s[0] > 1.7 || s[1] != s[0] || s[2] != 10 {
			t.Errorf("%s: spacing %v", pt.ID, s)
		}
		if pt.ED != 1 || pt.ES <= pt.ED || pt.ES > pt.NbFrame {
			t.Errorf("%s: ED %d ES %d of %d frames", pt.ID, pt.ED, pt.ES, pt.NbFrame)
		}
		if want := groups[(n-1)%5].name; pt.Group != want {
			t.Errorf("%s: group %s, want %s", pt.ID, pt.Group, want)
		}
	}
	if id := Generate(Params{Size: 64, MaxSlices: 6}, 1, 12).ID; id != "patient012" {
		t.Errorf("ID %q", id)
	}
}

func TestValidate(t *testing.T) {
	if err := (Params{}).Validate(); err != nil {
		t.Errorf("zero Params: %v", err)
	}
	bad := []Params{{Size: 8}, {SpacingMM: -1}, {SliceMM: math.NaN()}, {MinSlices: 1}, {MinSlices: 8, MaxSlices: 7}}
	for _, p := range bad {
		if err := p.Validate(); !errors.Is(err, ErrParams) {
			t.Errorf("%+v: got %v, want ErrParams", p, err)
		}
	}
}

func TestIntensities(t *testing.T) {
	for _, pt := range cohort() {
		for ph, f := range []Frame{pt.EDFrame, pt.ESFrame} {
			var sum, cnt [4]float64
			for k, v := range f.Image {
				if v < 0 || v > 32767 || math.IsNaN(float64(v)) {
					t.Fatalf("%s phase %d: intensity %g outside [0, 32767]", pt.ID, ph, v)
				}
				sum[f.Label[k]] += float64(v)
				cnt[f.Label[k]]++
			}
			for l := range sum {
				sum[l] /= cnt[l]
			}
			if !(sum[3] > 1.25*sum[2] && sum[1] > 1.25*sum[2]) {
				t.Errorf("%s phase %d: mean LV %.0f, RV %.0f, myocardium %.0f: blood is not brighter",
					pt.ID, ph, sum[3], sum[1], sum[2])
			}
		}
	}
}
