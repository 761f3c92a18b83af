package nifti

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

var le = binary.LittleEndian

// badFiles returns damaged variants of small valid files, with a piece of
// text each error message must contain.
func badFiles(t testing.TB) map[string]struct {
	data []byte
	says string
} {
	v := sampleVolume(Float32, []int{3, 4, 2}, 9)
	v.SclSlope, v.SclInter = 0, 0
	v1 := encoded(t, v, false)
	v.Version = 2
	v2 := encoded(t, v, false)
	v.Version, v.ByteOrder = 1, binary.BigEndian
	be := encoded(t, v, false)
	edit := func(b []byte, f func(b []byte)) []byte {
		b = bytes.Clone(b)
		f(b)
		return b
	}
	gz := gzipped(v1)
	corruptCRC := bytes.Clone(gz)
	corruptCRC[len(gz)-8] ^= 0xff
	nanAt := func(b []byte, off int, k int) []byte {
		return edit(b, func(b []byte) {
			for i := range k {
				le.PutUint32(b[off+4*i:], math.Float32bits(float32(math.NaN())))
			}
		})
	}
	return map[string]struct {
		data []byte
		says string
	}{
		"empty":                  {nil, "too few"},
		"text":                   {[]byte("hello, world"), "sizeof_hdr"},
		"header truncated":       {v1[:200], "truncated at 200"},
		"truncated gzip":         {gz[:len(gz)/2], "truncated gzip"},
		"gzip without trailer":   {gz[:len(gz)-4], "truncated gzip"},
		"gzip bad checksum":      {corruptCRC, "checksum"},
		"gzip bad header":        {append([]byte{0x1f, 0x8b, 99}, v1...), "gzip header"},
		"wrong magic":            {edit(v1, func(b []byte) { copy(b[344:], "n+9\x00") }), "magic"},
		"v2 magic in v1":         {edit(v1, func(b []byte) { copy(b[344:], "n+2\x00") }), "magic"},
		"pair v1":                {edit(v1, func(b []byte) { copy(b[344:], "ni1\x00") }), "pair"},
		"pair v2":                {edit(v2, func(b []byte) { copy(b[4:], "ni2\x00\r\n\x1a\n") }), "pair"},
		"payload short":          {v1[:len(v1)-5], "but payload has 91 bytes"},
		"payload short gz":       {gzipped(v1[:len(v1)-5]), "but payload has 91 bytes"},
		"payload short be":       {be[:len(be)-4], "3x4x2 float32 (96 bytes) but payload has 92"},
		"no payload":             {v1[:352], "payload has 0 bytes"},
		"trailing data":          {append(bytes.Clone(v1), 0), "more than 96"},
		"trailing data gz":       {gzipped(append(bytes.Clone(v2), 1, 2)), "more than 96"},
		"dim zero":               {edit(v1, func(b []byte) { le.PutUint16(b[42:], 0) }), "dim[1] is 0"},
		"dim negative":           {edit(v1, func(b []byte) { le.PutUint16(b[46:], 0xfffd) }), "dim[3] is -3"},
		"dim negative v2":        {edit(v2, func(b []byte) { le.PutUint64(b[24:], math.MaxUint64) }), "dim[1] is -1"},
		"dim0 zero":              {edit(v1, func(b []byte) { le.PutUint16(b[40:], 0) }), "dim[0] is 0"},
		"dim0 eight":             {edit(v1, func(b []byte) { le.PutUint16(b[40:], 8) }), "dim[0] is 8"},
		"dims overflow v1":       {edit(v1, func(b []byte) { setDims16(b, 7, 32767) }), "overflows"},
		"dims overflow v2":       {edit(v2, func(b []byte) { setDims64(b, 3, 1<<22) }), "overflows"},
		"huge dims v2":           {edit(v2, func(b []byte) { setDims64(b, 3, 1<<14) }), "16384x16384x16384 float32"},
		"huge dims v2 gz":        {gzipped(edit(v2, func(b []byte) { setDims64(b, 3, 1<<14) })), "but payload has 96"},
		"huge dims v1":           {edit(v1, func(b []byte) { setDims16(b, 4, 32767) }), "32767x32767x32767x32767"},
		"NaN voxels":             {nanAt(v1, 352+8, 2), "of 24 voxels are NaN or Inf"},
		"NaN voxels gz":          {gzipped(nanAt(v1, 352, 24)), "24 of 24 voxels"},
		"Inf after scaling":      {edit(v2, func(b []byte) { le.PutUint64(b[176:], math.Float64bits(1e300)) }), "of 24 voxels are NaN or Inf"},
		"NaN scl_inter":          {edit(v1, func(b []byte) { putF32(b, 112, 2); putF32(b, 116, float32(math.NaN())) }), "scl_inter"},
		"complex64":              {edit(v1, func(b []byte) { le.PutUint16(b[70:], 32) }), "complex64"},
		"rgb24":                  {edit(v1, func(b []byte) { le.PutUint16(b[70:], 128) }), "rgb24"},
		"unknown datatype":       {edit(v1, func(b []byte) { le.PutUint16(b[70:], 3) }), "datatype code 3 is not"},
		"vox_offset small":       {edit(v1, func(b []byte) { putF32(b, 108, 100) }), "vox_offset is 100"},
		"vox_offset fraction":    {edit(v1, func(b []byte) { putF32(b, 108, 352.5) }), "vox_offset is 352.5"},
		"vox_offset NaN":         {edit(v1, func(b []byte) { putF32(b, 108, float32(math.NaN())) }), "vox_offset is NaN"},
		"vox_offset past end":    {edit(v2, func(b []byte) { le.PutUint64(b[168:], 1<<40) }), "beyond the end"},
		"vox_offset past end gz": {gzipped(edit(v2, func(b []byte) { le.PutUint64(b[168:], 1<<40) })), "beyond the end"},
		"vox_offset negative v2": {edit(v2, func(b []byte) { le.PutUint64(b[168:], 1<<63) }), "vox_offset is"},
	}
}

func setDims16(b []byte, n int, d uint16) {
	le.PutUint16(b[40:], uint16(n))
	for i := 1; i <= n; i++ {
		le.PutUint16(b[40+2*i:], d)
	}
}

func setDims64(b []byte, n int, d uint64) {
	le.PutUint64(b[16:], uint64(n))
	for i := 1; i <= n; i++ {
		le.PutUint64(b[16+8*i:], d)
	}
}

func putF32(b []byte, off int, x float32) { le.PutUint32(b[off:], math.Float32bits(x)) }

// TestBadFiles checks, through both Decode and Read, that every damaged file
// gives an ErrFormat error naming the file and saying what is wrong, without
// a panic or a large allocation.
func TestBadFiles(t *testing.T) {
	dir := t.TempDir()
	for name, c := range badFiles(t) {
		t.Run(name, func(t *testing.T) {
			file := strings.ReplaceAll(name, " ", "_") + ".nii"
			var err error
			if n := allocated(func() { _, err = Decode(bytes.NewReader(c.data), file) }); n > 1<<20 {
				t.Errorf("Decode allocated %d bytes", n)
			}
			checkFormatError(t, "Decode", err, file, c.says)
			path := filepath.Join(dir, file)
			if err := os.WriteFile(path, c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			if n := allocated(func() { _, err = Read(path) }); n > 1<<20 {
				t.Errorf("Read allocated %d bytes", n)
			}
			checkFormatError(t, "Read", err, path, c.says)
		})
	}
}

func checkFormatError(t *testing.T, op string, err error, file, says string) {
	t.Helper()
	switch {
	case err == nil:
		t.Errorf("%s succeeded, want an error saying %q", op, says)
	case !errors.Is(err, ErrFormat):
		t.Errorf("%s: %v does not wrap ErrFormat", op, err)
	case !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), says):
		t.Errorf("%s: %q, want the file %q and %q", op, err, file, says)
	}
}

// TestReadMissing checks that a missing file is not reported as malformed.
func TestReadMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.nii")
	_, err := Read(path)
	if !errors.Is(err, os.ErrNotExist) || errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), path) {
		t.Errorf("Read: %v, want a not-exist error naming %s", err, path)
	}
}

// TestDecodeReadError checks that a failing reader is reported as itself,
// not as a malformed file.
func TestDecodeReadError(t *testing.T) {
	errDisk := errors.New("disk on fire")
	good := encoded(t, sampleVolume(Int16, []int{3, 4, 2}, 1), false)
	for _, cut := range []int{0, 100, 360} {
		r := io.MultiReader(bytes.NewReader(good[:cut]), iotest.ErrReader(errDisk))
		_, err := Decode(r, "burning.nii")
		if !errors.Is(err, errDisk) || errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "burning.nii") {
			t.Errorf("cut at %d: %v, want the reader's error naming the file, not ErrFormat", cut, err)
		}
	}
}
