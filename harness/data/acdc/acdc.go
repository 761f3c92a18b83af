package acdc

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

// Slice is one preprocessed short-axis slice.
type Slice struct {
	Patient string
	Frame   string    // "ED" or "ES"
	Z       int       // index in the file's stack, 0 at the base
	Image   []float32 // Size*Size, row-major (y then x), in [-1, 1]
	Mask    []uint8   // Size*Size, 1 where the label is one of Options.Label
}

// Patient is one patient's slices, ED frame first, each frame base to apex.
type Patient struct {
	ID     string
	Group  string
	Slices []Slice
}

// Stats counts what LoadACDC read and left out.
type Stats struct {
	Patients     int // patients loaded
	Slices       int // slices kept
	DroppedEmpty int // slices dropped for lacking the target
	SkippedNoGT  int // patients skipped for lacking ground truth
}

// ErrData is wrapped by errors about readable files whose content does not
// fit the layout: mismatched grids, bad spacing, labels outside 0..3.
var ErrData = errors.New("acdc: unusable data")

// ErrNoPatients is returned when a root folder holds no patient folders.
var ErrNoPatients = errors.New("acdc: no patient folders")

// phases are the two frames LoadACDC reads, in order.
var phases = []string{"ED", "ES"}

// LoadACDC reads root/<patient>/{Info.cfg, <patient>_frameYY.nii.gz,
// <patient>_frameYY_gt.nii.gz} for the ED and ES frames that Info.cfg
// names (.nii files are accepted too), preprocesses them and returns the
// patients sorted by ID. Every folder in root whose name does not start
// with '.' is a patient folder, its name the patient's ID. A patient lacking
// a ground-truth file is skipped with a line written to warn (which may be
// nil). A missing Info.cfg or image, an unreadable NIfTI file, an image and
// ground truth of different shape or spacing, and labels outside {0, 1, 2, 3}
// are errors naming the file.
func LoadACDC(root string, opt Options, warn io.Writer) ([]Patient, Stats, error) {
	if err := opt.Validate(); err != nil {
		return nil, Stats{}, err
	}
	opt = opt.Defaults()
	ids, err := patientDirs(root)
	if err != nil {
		return nil, Stats{}, err
	}
	results := loadAll(root, ids, opt)
	if warn == nil {
		warn = io.Discard
	}
	var (
		patients []Patient
		st       Stats
	)
	for _, r := range results {
		switch {
		case r.err != nil:
			return nil, Stats{}, r.err
		case r.skip != "":
			fmt.Fprintln(warn, r.skip)
			st.SkippedNoGT++
		default:
			patients = append(patients, r.patient)
			st.Patients++
			st.Slices += len(r.patient.Slices)
			st.DroppedEmpty += r.dropped
		}
	}
	return patients, st, nil
}

// patientDirs lists the patient folders of root, sorted by name.
func patientDirs(root string) ([]string, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("acdc: %w", err)
	}
	var ids []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if fi, err := os.Stat(filepath.Join(root, e.Name())); err == nil && fi.IsDir() {
			ids = append(ids, e.Name())
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%w in %s", ErrNoPatients, root)
	}
	return ids, nil
}

// loaded is the outcome for one patient: loaded, skipped with a warning,
// or an error.
type loaded struct {
	patient Patient
	dropped int
	skip    string
	err     error
}

// loadAll loads the patients with opt.Workers goroutines. Patients are
// taken in order and none is started after an error, so the first error in
// patient order is always among the results.
func loadAll(root string, ids []string, opt Options) []loaded {
	results := make([]loaded, len(ids))
	targets := opt.targets()
	workers := opt.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var (
		next   atomic.Int64
		failed atomic.Bool
		wg     sync.WaitGroup
	)
	for range min(workers, len(ids)) {
		wg.Go(func() {
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= len(ids) {
					return
				}
				results[i] = loadPatient(filepath.Join(root, ids[i]), ids[i], opt, &targets)
				if results[i].err != nil {
					failed.Store(true)
				}
			}
		})
	}
	wg.Wait()
	return results
}

// loadPatient reads and preprocesses one patient folder.
func loadPatient(dir, id string, opt Options, targets *[256]uint8) loaded {
	info, err := ReadInfo(filepath.Join(dir, "Info.cfg"))
	if err != nil {
		return loaded{err: err}
	}
	frames := []int{info.ED, info.ES}
	var imgs, gts [2]string
	for i, n := range frames {
		base := filepath.Join(dir, fmt.Sprintf("%s_frame%02d", id, n))
		var ok bool
		if gts[i], ok = niftiPath(base + "_gt"); !ok {
			return loaded{skip: fmt.Sprintf("acdc: skip %s: no ground truth %s", id, gts[i])}
		}
		if imgs[i], ok = niftiPath(base); !ok {
			return loaded{err: fmt.Errorf("acdc: load %s %s: no image %s: %w", id, phases[i], imgs[i], os.ErrNotExist)}
		}
	}
	r := loaded{patient: Patient{ID: id, Group: info.Group}}
	for i, phase := range phases {
		f, err := readFrame(imgs[i], gts[i])
		if err != nil {
			return loaded{err: fmt.Errorf("acdc: load %s %s: %w", id, phase, err)}
		}
		kept, dropped := f.cut(id, phase, opt, targets)
		r.patient.Slices = append(r.patient.Slices, kept...)
		r.dropped += dropped
	}
	return r
}

// niftiPath returns base.nii.gz or base.nii, whichever exists (the first if
// both do), or base.nii.gz and false if neither does.
func niftiPath(base string) (string, bool) {
	for _, ext := range []string{".nii.gz", ".nii"} {
		if fi, err := os.Stat(base + ext); err == nil && fi.Mode().IsRegular() {
			return base + ext, true
		}
	}
	return base + ".nii.gz", false
}
