package acdc

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/segqa/segqa/harness/data/nifti"
	"github.com/segqa/segqa/harness/data/phantom"
)

// WriteSynthetic writes patients 1..n of phantom.Generate(p, seed, i) under
// root in the ACDC layout: patientNNN/Info.cfg and, for the ED and ES
// frames, patientNNN_frameYY.nii.gz (int16) and patientNNN_frameYY_gt.nii.gz
// (uint8), with spacing in pixdim and matching qform and sform. workers
// goroutines (GOMAXPROCS when < 1) make patients concurrently. Every file is
// written atomically and Info.cfg last, so a patient whose Info.cfg and
// four images exist is complete and is not written again: an interrupted
// call resumes where it stopped.
func WriteSynthetic(root string, n int, seed uint64, p phantom.Params, workers int) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("acdc: synthetic %s: %w", root, err)
	}
	if n < 0 {
		return fmt.Errorf("acdc: synthetic %s: %d patients", root, n)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return fmt.Errorf("acdc: synthetic: %w", err)
	}
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	errs := make([]error, n)
	var (
		next   atomic.Int64
		failed atomic.Bool
		wg     sync.WaitGroup
	)
	for range min(workers, n) {
		wg.Go(func() {
			for !failed.Load() {
				i := int(next.Add(1))
				if i > n {
					return
				}
				if errs[i-1] = writePatient(root, p, seed, i); errs[i-1] != nil {
					failed.Store(true)
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// syntheticID names synthetic patient i as ACDC does.
func syntheticID(i int) string { return fmt.Sprintf("patient%03d", i) }

// SyntheticID is the ID WriteSynthetic gives patient i.
func SyntheticID(i int) string { return syntheticID(i) }

// complete reports whether dir already holds Info.cfg and the four images
// it names.
func complete(dir, id string) bool {
	info, err := ReadInfo(filepath.Join(dir, "Info.cfg"))
	if err != nil {
		return false
	}
	for _, fr := range []int{info.ED, info.ES} {
		base := filepath.Join(dir, fmt.Sprintf("%s_frame%02d", id, fr))
		for _, path := range []string{base + ".nii.gz", base + "_gt.nii.gz"} {
			if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
				return false
			}
		}
	}
	return true
}

// writePatient makes and writes patient i unless it is already complete.
func writePatient(root string, p phantom.Params, seed uint64, i int) error {
	id := syntheticID(i)
	dir := filepath.Join(root, id)
	if complete(dir, id) {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("acdc: synthetic: %w", err)
	}
	pt := phantom.Generate(p, seed, i)
	for _, fr := range []struct {
		n int
		f *phantom.Frame
	}{{pt.ED, &pt.EDFrame}, {pt.ES, &pt.ESFrame}} {
		base := filepath.Join(dir, fmt.Sprintf("%s_frame%02d", id, fr.n))
		img := make([]float64, len(fr.f.Image))
		for j, v := range fr.f.Image {
			img[j] = float64(v)
		}
		lab := make([]float64, len(fr.f.Label))
		for j, v := range fr.f.Label {
			lab[j] = float64(v)
		}
		if err := nifti.Write(base+".nii.gz", phantomVolume(&pt, img, nifti.Int16)); err != nil {
			return err
		}
		if err := nifti.Write(base+"_gt.nii.gz", phantomVolume(&pt, lab, nifti.Uint8)); err != nil {
			return err
		}
	}
	info := Info{ED: pt.ED, ES: pt.ES, NbFrame: pt.NbFrame, Group: pt.Group, Height: pt.Height, Weight: pt.Weight}
	return writeAtomic(filepath.Join(dir, "Info.cfg"), func(f *os.File) error {
		_, err := info.WriteTo(f)
		return err
	})
}

// unitsMM is NIfTI's xyzt_units code for millimetres.
const unitsMM = 2

// phantomVolume wraps one frame of pt as a NIfTI volume: spacing in pixdim,
// and qform and sform (scanner-anat) both the axis-aligned affine that puts
// the grid's centre at the origin.
func phantomVolume(pt *phantom.Patient, data []float64, dt nifti.Datatype) *nifti.Volume {
	dx, dy, dz := pt.Spacing[0], pt.Spacing[1], pt.Spacing[2]
	ox := -dx * float64(pt.Nx-1) / 2
	oy := -dy * float64(pt.Ny-1) / 2
	oz := -dz * float64(pt.Nz-1) / 2
	return &nifti.Volume{
		Dim:       []int{pt.Nx, pt.Ny, pt.Nz},
		Spacing:   []float64{dx, dy, dz},
		Data:      data,
		Datatype:  dt,
		QFormCode: 1,
		SFormCode: 1,
		Qfac:      1,
		QOffsetX:  ox,
		QOffsetY:  oy,
		QOffsetZ:  oz,
		SRow:      [3][4]float64{{dx, 0, 0, ox}, {0, dy, 0, oy}, {0, 0, dz, oz}},
		XYZTUnits: unitsMM,
		Descrip:   "segqa synthetic phantom " + pt.ID,
	}
}
