package acdc

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Options sets the preprocessing. The zero value of any field means its
// default.
type Options struct {
	Label       []int      // target labels (union); default {2}, the myocardium
	Size        int        // square crop/pad, pixels; default 128
	SpacingMM   float64    // in-plane resampling target; default 1.5
	Percentiles [2]float64 // clipping before mapping to [-1, 1], per frame; default {1, 99}
	KeepEmpty   bool       // keep slices without the target
	Workers     int        // patients loaded at once; default GOMAXPROCS
}

// ErrOptions is wrapped by Validate for every bad value.
var ErrOptions = errors.New("acdc: bad options")

// maxSize bounds Options.Size so that a slice stays a sensible allocation.
const maxSize = 4096

// Defaults returns o with every zero field set to its default.
func (o Options) Defaults() Options {
	if len(o.Label) == 0 {
		o.Label = []int{2}
	}
	if o.Size == 0 {
		o.Size = 128
	}
	if o.SpacingMM == 0 {
		o.SpacingMM = 1.5
	}
	if o.Percentiles == [2]float64{} {
		o.Percentiles = [2]float64{1, 99}
	}
	return o
}

// Validate explains every value of o (after defaults) that LoadACDC rejects.
func (o Options) Validate() error {
	o = o.Defaults()
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrOptions}, args...)...))
	}
	for _, l := range o.Label {
		if l < 0 || l > 255 {
			bad("label %d is outside 0..255", l)
		}
	}
	if o.Size < 1 || o.Size > maxSize {
		bad("size %d is outside 1..%d", o.Size, maxSize)
	}
	if !(o.SpacingMM > 0) || math.IsInf(o.SpacingMM, 0) {
		bad("spacing %g mm is not positive and finite", o.SpacingMM)
	}
	lo, hi := o.Percentiles[0], o.Percentiles[1]
	if !(lo >= 0 && lo < hi && hi <= 100) {
		bad("percentiles %v: want 0 <= lo < hi <= 100", o.Percentiles)
	}
	if o.Workers < 0 {
		bad("workers %d < 0", o.Workers)
	}
	return errors.Join(errs...)
}

// targets returns a lookup table: targets[l] is 1 when label l is a target.
func (o Options) targets() [256]uint8 {
	var t [256]uint8
	for _, l := range o.Label {
		if l >= 0 && l < len(t) {
			t[l] = 1
		}
	}
	return t
}

// describe is a stable text form of the settings that shape the slices,
// stored in cache headers for people reading them.
func (o Options) describe() string {
	o = o.Defaults()
	ls := slices.Clone(o.Label)
	slices.Sort(ls)
	return fmt.Sprintf("label=%v size=%d spacing_mm=%g percentiles=%g,%g keep_empty=%t",
		ls, o.Size, o.SpacingMM, o.Percentiles[0], o.Percentiles[1], o.KeepEmpty)
}
