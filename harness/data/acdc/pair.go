package acdc

import "fmt"

// LoadPair reads one image and a segmentation of it (NIfTI, 2-D or 3-D, on
// the same grid) and preprocesses them as LoadACDC does, keeping every
// slice. The mask of a slice is 1 where the segmentation's label is one of
// opt.Label; with opt.Label empty, every non-zero label counts (a binary
// mask). Slices are named by the image file and frame "-".
func LoadPair(imgPath, segPath string, opt Options) ([]Slice, error) {
	anyLabel := len(opt.Label) == 0
	opt.KeepEmpty = true
	if err := opt.Validate(); err != nil && !anyLabel {
		return nil, err
	}
	opt = opt.Defaults()
	targets := opt.targets()
	if anyLabel {
		for l := 1; l < len(targets); l++ {
			targets[l] = 1
		}
	}
	f, err := readFrame(imgPath, segPath)
	if err != nil {
		return nil, fmt.Errorf("acdc: load %s with %s: %w", imgPath, segPath, err)
	}
	kept, _ := f.cut(imgPath, "-", opt, &targets)
	return kept, nil
}
