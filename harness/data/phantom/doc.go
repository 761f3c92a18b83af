// Package phantom makes deterministic synthetic short-axis cardiac cine-MR
// phantoms, labelled as in the ACDC 2017 challenge, so that the whole
// segmentation-quality pipeline runs without downloading a data set.
//
// A patient is a stack of 6 to 10 short-axis slices from the base (z = 0)
// to the apex, at end-diastole and end-systole, with ACDC-like anisotropic
// spacing (about 1.5 mm in-plane, 10 mm between slices). Each slice shows a
// bright left-ventricular blood pool (label 3) inside a darker myocardial
// ring (label 2) whose thickness varies smoothly around the ring, and a
// bright crescent-shaped right-ventricular cavity (label 1) that shares the
// septum. Around the heart lie epicardial fat, dark lungs, a grey liver, the
// spine and descending aorta, the chest wall under a bright fat rim, and
// dark air outside the body. The heart narrows toward the apex, where the
// right ventricle vanishes; from end-diastole to end-systole the cavities
// shrink while the myocardium thickens with its area kept.
//
// Patients differ in heart position, rotation, size, ellipticity, wall
// thickness, in-plane spacing, contrast, bias field and noise level. The
// group of patient n follows (n-1) mod 5 through DCM, HCM, MINF, NOR, RV, so
// any run of consecutive patients is balanced; the group shapes the heart
// (dilated and thin, hypertrophic, regionally thinned, normal, large RV).
//
// Labels come from the geometry at pixel centres; the image is then built
// from per-tissue intensities with low-pass texture, blurred by a small
// Gaussian, multiplied by a smooth bias field and given Rician noise (the
// magnitude of a complex Gaussian). Intensities lie in [0, 32767] so that
// they fit int16.
//
// Generate(p, seed, n) depends on nothing but its arguments: every random
// draw comes from a PCG stream derived from (seed, n) and, below that, from
// the slice, so patients can be made in any order or concurrently (and
// their slices are rendered in parallel) and always give identical bytes on
// a given platform.
package phantom
