// Package nifti reads and writes single-file NIfTI-1 and NIfTI-2 images
// (.nii and .nii.gz), the format of the cardiac MRI volumes and label maps
// the harness feeds to the networks. A file becomes a Volume: its shape, voxel
// spacing, orientation (qform, sform and Affine) and voxel values as float64
// with scl_slope/scl_inter already applied, in x-fastest order. Decode and
// Encode work on streams; Read and Write are thin file wrappers, Read
// detecting gzip by its magic bytes and Write replacing the target atomically.
// The reader trusts nothing in a header: dims, datatype, offsets and payload
// size are checked against the bytes actually present before memory is
// committed, and non-finite voxels are refused, so a lying or damaged file
// yields an error wrapping ErrFormat that names the file rather than a panic
// or a huge allocation. Header/image pairs (.hdr/.img), complex and RGB data
// are not supported.
package nifti
