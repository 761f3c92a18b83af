// Package acdc turns cardiac short-axis MR volumes laid out as in the
// ACDC 2017 challenge into the 2-D slices the networks train on, and back:
// it also writes ACDC-layout folders of its own, synthetic patients from
// the phantom package (WriteSynthetic) and pseudo-patients cut from an MNI
// brain template (WriteBrains), so the real loader runs on every run.
//
// LoadACDC reads ROOT/<patient>/Info.cfg, finds the end-diastolic and
// end-systolic frames it names (<patient>_frameYY.nii.gz and their _gt
// label maps, or plain .nii), and preprocesses each frame: the intensities
// are clipped to per-frame percentiles and mapped linearly to [-1, 1]; every
// slice is resampled in-plane to Options.SpacingMM around the image centre
// (bilinear for images, nearest neighbour for labels) straight onto a
// Size x Size grid, which crops or pads (-1 for images, 0 for labels) as
// needed. x becomes the column and y the row; slices keep the file's z
// order, base to apex. A slice's mask is 1 where the label is one of
// Options.Label; slices without any target pixel are dropped unless
// Options.KeepEmpty. Patients without ground truth are skipped with a
// warning; anything else wrong with a file is an error naming it.
//
// SplitPatients makes a seeded, disjoint train/validation/test split by
// patient. SaveCache and LoadCache keep the prepared slices in one compact
// checksummed file, tagged with the caller's settings key, so later stages
// need not read NIfTI again and a changed setting is noticed (ErrStale).
package acdc
