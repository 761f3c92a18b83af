package nifti

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
)

// ErrFormat is wrapped by every error about a malformed, truncated or
// unsupported file.
var ErrFormat = errors.New("nifti: malformed file")

// Read reads a single-file NIfTI-1 or NIfTI-2 image, gzip-compressed or not;
// compression is detected from the content, not the name.
func Read(path string) (*Volume, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("nifti: read %s: %w", path, err)
	}
	defer f.Close()
	size := int64(-1)
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
	}
	return decode(f, path, size)
}

// Decode reads a NIfTI image from r, as Read does; name is used only in error
// messages. Uncompressed *bytes.Reader, *bytes.Buffer and *strings.Reader
// inputs are checked against their length before the voxels are read.
func Decode(r io.Reader, name string) (*Volume, error) {
	size := int64(-1)
	switch r := r.(type) { // in-memory inputs whose size is known
	case *bytes.Reader:
		size = int64(r.Len())
	case *bytes.Buffer:
		size = int64(r.Len())
	case *strings.Reader:
		size = int64(r.Len())
	}
	return decode(r, name, size)
}

// decoder reads one image; size is the length of an uncompressed input when
// known (a regular file), else -1.
type decoder struct {
	name string
	r    io.Reader
	size int64
	gz   bool
}

func decode(r io.Reader, name string, size int64) (*Volume, error) {
	br := bufio.NewReader(r)
	d := &decoder{name: name, r: br, size: size}
	if m, _ := br.Peek(2); len(m) == 2 && m[0] == 0x1f && m[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, d.streamError("gzip header", err)
		}
		defer zr.Close()
		d.r, d.size, d.gz = zr, -1, true
	}
	return d.decode()
}

func (d *decoder) decode() (*Volume, error) {
	buf := make([]byte, sizeV2)
	if n, err := readFull(d.r, buf[:4]); err != nil {
		return nil, d.shortError(fmt.Sprintf("file has %d bytes, too few for a NIfTI header", n), err)
	}
	version, order, ok := detectHeader(buf)
	if !ok {
		return nil, d.errorf("sizeof_hdr is %d, want 348 or 540 (either byte order): not a NIfTI file",
			int32(binary.LittleEndian.Uint32(buf)))
	}
	hs := headerSize(version)
	if n, err := readFull(d.r, buf[4:hs]); err != nil {
		return nil, d.shortError(fmt.Sprintf("NIfTI-%d header truncated at %d of %d bytes", version, 4+n, hs), err)
	}
	h := parseHeader(buf[:hs], version, order)
	g, err := d.check(&h)
	if err != nil {
		return nil, err
	}
	if d.size >= 0 { // a regular file: check its size before reading on
		if g.offset > d.size {
			return nil, d.errorf("vox_offset %d is beyond the end of the file (%d bytes)", g.offset, d.size)
		}
		if d.size-g.offset != int64(g.nbytes) {
			return nil, d.payloadError(&h, g, d.size-g.offset, d.size-g.offset > int64(g.nbytes))
		}
	}
	if n, err := io.CopyN(io.Discard, d.r, g.offset-int64(hs)); err != nil {
		return nil, d.shortError(fmt.Sprintf("vox_offset %d is beyond the end of the file (%d bytes)",
			g.offset, int64(hs)+n), err)
	}
	data, err := d.readPayload(&h, g)
	if err != nil {
		return nil, err
	}
	if err := d.scale(&h, data); err != nil {
		return nil, err
	}
	return volumeOf(&h, data), nil
}

// readFull is io.ReadFull without its translation of io.EOF, so that a clean
// end of stream (io.EOF) stays distinguishable from a truncated gzip stream
// (io.ErrUnexpectedEOF).
func readFull(r io.Reader, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := r.Read(b[n:])
		n += m
		if err != nil {
			if n == len(b) && err == io.EOF {
				return n, nil
			}
			return n, err
		}
	}
	return n, nil
}

// errorf returns a format error naming the file; format may use %w.
func (d *decoder) errorf(format string, args ...any) error {
	args = append([]any{d.name}, args...)
	return fmt.Errorf("nifti: read %s: "+format+": %w", append(args, ErrFormat)...)
}

// shortError reports the input ending early: a clean end of the data gets
// msg alone, a broken gzip stream or a read error says so too.
func (d *decoder) shortError(msg string, err error) error {
	if err == io.EOF {
		return d.errorf("%s", msg)
	}
	return d.streamError(msg, err)
}

// streamError wraps an error from the underlying reader or the gzip layer.
// Damaged compressed data is a format error described by msg; anything else
// (a disk error) is passed on with the file named but without ErrFormat.
func (d *decoder) streamError(msg string, err error) error {
	var corrupt flate.CorruptInputError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) && d.gz:
		return d.errorf("%s: truncated gzip stream: %w", msg, err)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, gzip.ErrHeader), errors.Is(err, gzip.ErrChecksum), errors.As(err, &corrupt):
		return d.errorf("%s: %w", msg, err)
	}
	return fmt.Errorf("nifti: read %s: %w", d.name, err)
}

// readPayload reads exactly g.nbytes of voxels and then expects the end of
// the input. Memory grows with the bytes actually read, never with what the
// header claims, unless the file size was checked already.
func (d *decoder) readPayload(h *header, g geometry) ([]float64, error) {
	size := h.datatype.Size()
	buf := make([]byte, min(g.nbytes, 32<<10))
	var data []float64
	if d.size >= 0 {
		data = make([]float64, 0, g.nvox)
	}
	for read := 0; read < g.nbytes; {
		n, err := readFull(d.r, buf[:min(len(buf), g.nbytes-read)])
		read += n
		if err == io.EOF {
			return nil, d.payloadError(h, g, int64(read), false)
		} else if err != nil {
			return nil, d.streamError(fmt.Sprintf("after %d of %d payload bytes", read, g.nbytes), err)
		}
		k := n / size
		data = grow(data, k, g.nvox)
		h.datatype.decode(data[len(data):len(data)+k], buf[:n], h.order)
		data = data[:len(data)+k]
	}
	// One more byte must meet the end; for gzip this also checks the CRC.
	if n, err := readFull(d.r, buf[:1]); n == 1 {
		return nil, d.payloadError(h, g, int64(g.nbytes)+1, true)
	} else if err != io.EOF {
		return nil, d.streamError("after the payload", err)
	}
	return data, nil
}

// grow makes room for k more values. Capacities run through limit/2^j,
// rounded up, so they double and the last one is exactly limit.
func grow(data []float64, k, limit int) []float64 {
	need := len(data) + k
	if need <= cap(data) {
		return data
	}
	c := limit
	for c > 1 && (c+1)/2 >= need {
		c = (c + 1) / 2
	}
	bigger := make([]float64, len(data), c)
	copy(bigger, data)
	return bigger
}

func (d *decoder) payloadError(h *header, g geometry, have int64, more bool) error {
	qual := ""
	if more {
		qual = "more than "
		have = int64(g.nbytes)
	}
	return d.errorf("header says %s (%d bytes) but payload has %s%d bytes", h.shape(), g.nbytes, qual, have)
}

// scale applies scl_slope/scl_inter in place and refuses non-finite voxels.
func (d *decoder) scale(h *header, data []float64) error {
	slope, inter, ok := scaling(h.sclSlope, h.sclInter)
	bad := 0
	for i, x := range data {
		if ok {
			x = x*slope + inter
			data[i] = x
		}
		if !finite(x) {
			bad++
		}
	}
	if bad > 0 {
		return d.errorf("%d of %d voxels are NaN or Inf", bad, len(data))
	}
	return nil
}

// scaling reports whether slope and inter define a scaling: a slope of 0,
// NaN or Inf means none.
func scaling(slope, inter float64) (float64, float64, bool) {
	if slope == 0 || math.IsNaN(slope) || math.IsInf(slope, 0) {
		return 1, 0, false
	}
	return slope, inter, true
}

// finite reports whether x is neither NaN nor ±Inf (for both, x-x is NaN).
func finite(x float64) bool { return x-x == 0 }
