package nifti

import (
	"encoding/binary"
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// Header sizes and magic strings of the two versions. The "ni" magics mark
// header/image pairs (.hdr/.img), which are recognised only to be refused.
const (
	sizeV1  = 348
	sizeV2  = 540
	magicV1 = "n+1\x00"
	pairV1  = "ni1\x00"
	magicV2 = "n+2\x00\r\n\x1a\n"
	pairV2  = "ni2\x00\r\n\x1a\n"

	// extender is the 4-byte extension flag that follows the header in a
	// single file; Write leaves it zero (no extensions).
	extender = 4
	// maxVoxOffset bounds vox_offset so that it is an exact float64 and
	// cannot overflow when added to the payload size.
	maxVoxOffset = 1 << 52
)

// header is the subset of NIfTI-1/NIfTI-2 header fields this package uses,
// widened to the NIfTI-2 types.
type header struct {
	version            int
	order              binary.ByteOrder
	magic              string
	dim                [8]int64
	datatype           Datatype
	bitpix             int64
	pixdim             [8]float64
	voxOffset          float64
	sclSlope, sclInter float64
	xyztUnits          byte
	descrip            string
	qformCode          int64
	sformCode          int64
	quatern            [3]float64 // b, c, d
	qoffset            [3]float64 // x, y, z
	srow               [3][4]float64
}

// detectHeader reads sizeof_hdr, the first four bytes of every NIfTI file,
// in both byte orders; a value of 348 means NIfTI-1, 540 NIfTI-2.
func detectHeader(b []byte) (version int, order binary.ByteOrder, ok bool) {
	for _, o := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		switch o.Uint32(b) {
		case sizeV1:
			return 1, o, true
		case sizeV2:
			return 2, o, true
		}
	}
	return 0, nil, false
}

func headerSize(version int) int {
	if version == 2 {
		return sizeV2
	}
	return sizeV1
}

// parseHeader decodes a complete header of the given version.
func parseHeader(b []byte, version int, o binary.ByteOrder) header {
	if version == 2 {
		return parseV2(b, o)
	}
	return parseV1(b, o)
}

// marshal encodes h followed by a zero extender, ready to be followed by the
// voxel data at vox_offset.
func (h *header) marshal() []byte {
	if h.version == 2 {
		return h.marshalV2()
	}
	return h.marshalV1()
}

// shape renders the header's dims and type for error messages, such as
// "256x256x10 int16".
func (h *header) shape() string {
	n := int(h.dim[0])
	if n < 1 || n > 7 {
		n = 7
	}
	parts := make([]string, n)
	for i := range parts {
		parts[i] = strconv.FormatInt(h.dim[i+1], 10)
	}
	return strings.Join(parts, "x") + " " + h.datatype.String()
}

// voxels returns the number of voxels the dims describe and their size in
// bytes; ok is false when either product overflows an int.
func (h *header) voxels() (nvox, nbytes int, ok bool) {
	n := uint64(1)
	for i := 1; i <= int(h.dim[0]); i++ {
		hi, lo := bits.Mul64(n, uint64(h.dim[i]))
		if hi != 0 || lo > math.MaxInt {
			return 0, 0, false
		}
		n = lo
	}
	hi, size := bits.Mul64(n, uint64(h.datatype.Size()))
	if hi != 0 || size > math.MaxInt {
		return 0, 0, false
	}
	return int(n), int(size), true
}

// cstring returns b up to its first NUL byte.
func cstring(b []byte) string {
	if i := strings.IndexByte(string(b), 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}
