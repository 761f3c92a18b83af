package acdc

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/data/nifti"
)

// volume3 is a 3-D test volume: values x fastest, then y, then z.
type volume3 struct {
	nx, ny, nz int
	dx, dy, dz float64
	data       []float64
	dt         nifti.Datatype
}

func newVolume(nx, ny, nz int, dx, dy, dz float64, dt nifti.Datatype) *volume3 {
	return &volume3{nx, ny, nz, dx, dy, dz, make([]float64, nx*ny*nz), dt}
}

func (v *volume3) set(x, y, z int, val float64) { v.data[(z*v.ny+y)*v.nx+x] = val }

func (v *volume3) nifti() *nifti.Volume {
	return &nifti.Volume{
		Dim: []int{v.nx, v.ny, v.nz}, Spacing: []float64{v.dx, v.dy, v.dz},
		Data: v.data, Datatype: v.dt, QFormCode: 1, Qfac: 1, XYZTUnits: unitsMM,
	}
}

// handFrame is one frame of a hand-made patient; a nil gt is not written.
type handFrame struct{ img, gt *volume3 }

// writeHand writes root/id with Info.cfg (ED 1, ES 2, or cfg when not
// empty) and the two frames, as ext files (".nii.gz" or ".nii").
func writeHand(t *testing.T, root, id, cfg, ext string, ed, es handFrame) string {
	t.Helper()
	dir := filepath.Join(root, id)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if cfg == "" {
		cfg = "ED: 1\nES: 2\nGroup: NOR\nHeight: 170.0\nNbFrame: 20\nWeight: 70.0\n"
	}
	if cfg != "-" {
		writeFile(t, filepath.Join(dir, "Info.cfg"), cfg)
	}
	for n, fr := range []handFrame{ed, es} {
		base := filepath.Join(dir, fmt.Sprintf("%s_frame%02d", id, n+1))
		if err := nifti.Write(base+ext, fr.img.nifti()); err != nil {
			t.Fatal(err)
		}
		if fr.gt != nil {
			if err := nifti.Write(base+"_gt"+ext, fr.gt.nifti()); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// plainFrame is a frame with a ramp image and a block of label 2 that
// LoadACDC accepts.
func plainFrame(nx, ny, nz int) handFrame {
	img := newVolume(nx, ny, nz, 1.5, 1.5, 10, nifti.Int16)
	gt := newVolume(nx, ny, nz, 1.5, 1.5, 10, nifti.Uint8)
	for z := range nz {
		for y := range ny {
			for x := range nx {
				img.set(x, y, z, float64(x+y+z))
				if x >= nx/4 && x < nx/2 && y >= ny/4 && y < ny/2 {
					gt.set(x, y, z, 2)
				}
			}
		}
	}
	return handFrame{img, gt}
}

// wantErrNaming fails unless err is non-nil and mentions every name.
func wantErrNaming(t *testing.T, err error, names ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one naming %v", names)
	}
	for _, n := range names {
		if !strings.Contains(err.Error(), n) {
			t.Errorf("error %q does not name %s", err, n)
		}
	}
}
