"""Writes the nibabel-made golden files read by TestReadNibabelGolden.

Run from harness/data/nifti: python3 testdata/make_nibabel_golden.py
The voxel formulas and affines here are repeated in nibabel_test.go.
"""
import gzip

import nibabel as nib
import numpy as np

# v1, little endian, int16 on disk with scl_slope 0.5, scl_inter -3, gzip.
# nibabel picks its own scaling when saving an image, so the header is
# written by nibabel and the raw voxels appended by hand.
shape = (4, 3, 2)
raw = (np.arange(24) * 37 % 101 - 50).reshape(shape, order="F").astype("<i2")
aff = np.array([[0, -3, 0, 10], [2, 0, 0, 20], [0, 0, -4, 30], [0, 0, 0, 1]], float)
hdr = nib.Nifti1Header()
hdr.set_data_shape(shape)
hdr.set_data_dtype(np.int16)
hdr.set_qform(aff, code=1)
hdr.set_sform(aff, code=2)
hdr.set_slope_inter(0.5, -3)
hdr.set_xyzt_units("mm", "sec")
hdr["descrip"] = b"golden v1"
hdr.set_data_offset(352)
with gzip.open("testdata/nibabel_v1_int16_scaled.nii.gz", "wb") as f:
    hdr.write_to(f)  # 348 bytes and the 4-byte extension flag
    f.write(raw.tobytes(order="F"))

# v2, big endian, float64, 4-D, uncompressed, qform only.
shape = (3, 2, 2, 2)
data = (np.arange(24) * 0.25 - 1.5).reshape(shape, order="F").astype(">f8")
aff = np.array([[1.5, 0, 0, -7], [0, 1.5, 0, 8], [0, 0, 2, -9], [0, 0, 0, 1]], float)
hdr = nib.Nifti2Header(endianness=">")
img = nib.Nifti2Image(data, aff, header=hdr)
img.header.set_data_dtype(">f8")
img.header.set_zooms((1.5, 1.5, 2.0, 0.8))
img.header.set_qform(aff, code=1)
img.header.set_sform(None, code=0)
nib.save(img, "testdata/nibabel_v2_be_float64.nii")

# v1, little endian, int8 (signed) labels, uncompressed, no transforms.
data = (np.arange(30) % 7 - 3).reshape((5, 3, 2), order="F").astype("i1")
img = nib.Nifti1Image(data, np.diag([0.5, 0.5, 1.0, 1.0]))
img.header.set_qform(None, code=0)
img.header.set_sform(None, code=0)
nib.save(img, "testdata/nibabel_v1_int8.nii")
