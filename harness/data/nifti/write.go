package nifti

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/segqa/segqa/harness/run"
)

// ErrVolume is wrapped by every error about a Volume that cannot be written
// as it stands (bad dims, values the datatype cannot hold, ...).
var ErrVolume = errors.New("nifti: invalid volume")

// Write stores v at path as a single-file NIfTI image, gzip-compressed when
// path ends in ".gz". The file is written to a temporary file in the same
// directory, synced and renamed over path (run.WriteAtomicFile), so readers
// never see a partial image; path's directory must exist.
func Write(path string, v *Volume) error {
	var encErr error // encode's errors already read "nifti: write PATH: ..."
	err := run.WriteAtomicFile(path, func(f *os.File) error {
		bw := bufio.NewWriterSize(f, 64<<10)
		var w io.Writer = bw
		var zw *gzip.Writer
		if strings.HasSuffix(path, ".gz") {
			zw = gzip.NewWriter(bw)
			w = zw
		}
		if encErr = encode(w, v, "write "+path); encErr != nil {
			return encErr
		}
		if zw != nil {
			if err := zw.Close(); err != nil {
				return err
			}
		}
		return bw.Flush()
	})
	switch {
	case encErr != nil:
		return encErr
	case err != nil:
		return fmt.Errorf("nifti: %w", err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// syncDir makes a rename durable where the filesystem supports syncing a
// directory; where it does not, the rename has still happened.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Encode writes v to w as an uncompressed single-file image: the header, a
// zero extension flag and the voxels at vox_offset 352 (NIfTI-1) or 544
// (NIfTI-2). Every value is checked before the first byte is written.
func Encode(w io.Writer, v *Volume) error {
	return encode(w, v, "encode")
}

// encode does Encode's work; op ("write x.nii") prefixes every error.
func encode(w io.Writer, v *Volume, op string) error {
	h, err := headerOf(v)
	if err != nil {
		return fmt.Errorf("nifti: %s: %w", op, err)
	}
	s := newStorer(&h)
	for i, x := range v.Data {
		if _, ok := s.store(x); !ok {
			return fmt.Errorf("nifti: %s: voxel %d: %w", op, i, s.check(x))
		}
	}
	if _, err := w.Write(h.marshal()); err != nil {
		return fmt.Errorf("nifti: %s: %w", op, err)
	}
	const chunk = 4096
	size := h.datatype.Size()
	q := make([]float64, min(chunk, len(v.Data)))
	buf := make([]byte, len(q)*size)
	for start := 0; start < len(v.Data); start += chunk {
		src := v.Data[start:min(start+chunk, len(v.Data))]
		for i, x := range src {
			q[i], _ = s.store(x)
		}
		h.datatype.encode(buf, q[:len(src)], h.order)
		if _, err := w.Write(buf[:len(src)*size]); err != nil {
			return fmt.Errorf("nifti: %s: %w", op, err)
		}
	}
	return nil
}

// storer converts voxel values to the numbers stored on disk.
type storer struct {
	dt            Datatype
	slope, inter  float64
	scaled, round bool
	lo, hi        float64
}

// newStorer uses the header's slope and intercept, already rounded to the
// precision the file keeps, so that reading gives back what was meant.
func newStorer(h *header) storer {
	slope, inter, ok := scaling(h.sclSlope, h.sclInter)
	lo, hi := h.datatype.limits()
	return storer{h.datatype, slope, inter, ok, h.datatype.IsInteger(), lo, hi}
}

// store returns the number stored for x, or false if x is not finite or
// out of range for the datatype.
func (s storer) store(x float64) (float64, bool) {
	q := x
	if s.scaled {
		q = (x - s.inter) / s.slope
	}
	if s.round {
		q = math.Round(q)
	}
	return q, q >= s.lo && q <= s.hi && finite(x)
}

// check explains why store refused x.
func (s storer) check(x float64) error {
	if !finite(x) {
		return fmt.Errorf("value %v is not finite: %w", x, ErrVolume)
	}
	q, _ := s.store(x)
	return fmt.Errorf("value %v (stored as %v) is out of range for %s: %w", x, q, s.dt, ErrVolume)
}

// headerOf checks v and builds the header Write stores for it.
func headerOf(v *Volume) (header, error) {
	h := header{
		version: v.Version, order: byteOrder(v.ByteOrder), datatype: v.Datatype,
		sclSlope: v.SclSlope, sclInter: v.SclInter, xyztUnits: v.XYZTUnits, descrip: v.Descrip,
		qformCode: int64(v.QFormCode), sformCode: int64(v.SFormCode), srow: v.SRow,
		quatern: [3]float64{v.QuaternB, v.QuaternC, v.QuaternD},
		qoffset: [3]float64{v.QOffsetX, v.QOffsetY, v.QOffsetZ},
	}
	if h.version == 0 {
		h.version = 1
	}
	if h.datatype == 0 {
		h.datatype = Float32
	}
	invalid := func(format string, args ...any) (header, error) {
		return header{}, fmt.Errorf(format+": %w", append(args, ErrVolume)...)
	}
	switch {
	case h.version != 1 && h.version != 2:
		return invalid("Version is %d, want 1 or 2", v.Version)
	case h.datatype.Size() == 0:
		return invalid("datatype %s is not supported", h.datatype)
	case len(v.Dim) < 1 || len(v.Dim) > 7:
		return invalid("%d dims, want 1..7", len(v.Dim))
	case v.Spacing != nil && len(v.Spacing) != len(v.Dim):
		return invalid("%d spacings for %d dims", len(v.Spacing), len(v.Dim))
	case len(v.Descrip) > 80:
		return invalid("Descrip has %d bytes, at most 80 fit", len(v.Descrip))
	case v.QFormCode < 0 || v.QFormCode > 5 || v.SFormCode < 0 || v.SFormCode > 5:
		return invalid("QFormCode %d, SFormCode %d: want 0..5", v.QFormCode, v.SFormCode)
	}
	maxDim := math.MaxInt
	if h.version == 1 {
		maxDim = math.MaxInt16
	}
	h.dim[0], h.pixdim[0] = int64(len(v.Dim)), 1
	if v.Qfac < 0 {
		h.pixdim[0] = -1
	}
	for i := 1; i < len(h.dim); i++ {
		h.dim[i], h.pixdim[i] = 1, 1
	}
	for i, d := range v.Dim {
		if d < 1 || d > maxDim {
			return invalid("Dim[%d] is %d, want 1..%d for NIfTI-%d", i, d, maxDim, h.version)
		}
		h.dim[i+1] = int64(d)
		if v.Spacing != nil {
			s := v.Spacing[i]
			if !(s >= 0) || math.IsInf(s, 0) {
				return invalid("Spacing[%d] is %v, want finite and not negative", i, s)
			}
			h.pixdim[i+1] = s
		}
	}
	nvox, _, ok := h.voxels()
	if !ok {
		return invalid("Dim %v overflows the voxel count", v.Dim)
	}
	if nvox != len(v.Data) {
		return invalid("Dim %v needs %d values, Data has %d", v.Dim, nvox, len(v.Data))
	}
	if h.version == 1 {
		_, _, wanted := scaling(h.sclSlope, h.sclInter)
		h.sclSlope, h.sclInter = float64(float32(h.sclSlope)), float64(float32(h.sclInter))
		slope, inter, kept := scaling(h.sclSlope, h.sclInter)
		if wanted && (!kept || math.IsInf(inter, 0)) {
			return invalid("SclSlope %v, SclInter %v do not fit NIfTI-1's float32 (%v, %v)",
				v.SclSlope, v.SclInter, slope, inter)
		}
	}
	h.voxOffset = float64(headerSize(h.version) + extender)
	h.bitpix = int64(8 * h.datatype.Size())
	return h, nil
}

// byteOrder maps nil, and any little-endian order such as
// binary.NativeEndian on amd64, to binary.LittleEndian; others to BigEndian.
func byteOrder(o binary.ByteOrder) binary.ByteOrder {
	if o == nil || o.Uint16([]byte{1, 0}) == 1 {
		return binary.LittleEndian
	}
	return binary.BigEndian
}
