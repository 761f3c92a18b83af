package acdc

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
)

// LoadCache reads the patients SaveCache wrote to path. A cache made under
// another key, or by another version of this package, gives an error
// wrapping ErrStale; a damaged, truncated or foreign file one wrapping
// ErrCorrupt. Both name the file. Every count in the header is checked
// against the file's size before memory is allocated for it.
func LoadCache(path, key string) ([]Patient, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("acdc: read cache: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("acdc: read cache: %w", err)
	}
	cr := cacheReader{name: path}
	h, hlen, err := cr.header(f)
	if err != nil {
		return nil, err
	}
	if h.key != key {
		return nil, fmt.Errorf("acdc: read cache %s: made under key %q, want %q: %w", path, h.key, key, ErrStale)
	}
	if err := cr.checkCounts(&h, fi.Size()-hlen); err != nil {
		return nil, err
	}
	crc := crc32.New(castagnoli)
	bufSize := int(min(max(h.payload, 16), 1<<20))
	br := bufio.NewReaderSize(io.TeeReader(io.LimitReader(f, int64(h.payload)), crc), bufSize)
	patients, err := cr.payload(br, &h)
	if _, derr := io.Copy(io.Discard, br); derr != nil && err == nil {
		err = cr.corrupt("payload: %v", derr)
	}
	if got := crc.Sum32(); got != h.payloadCRC {
		return nil, cr.corrupt("payload checksum %08x, header says %08x", got, h.payloadCRC)
	}
	if err != nil {
		return nil, err
	}
	return patients, nil
}

// cacheReader decodes one cache file; name is used in errors.
type cacheReader struct{ name string }

func (c *cacheReader) corrupt(format string, args ...any) error {
	return fmt.Errorf("acdc: read cache %s: "+format+": %w", append(append([]any{c.name}, args...), ErrCorrupt)...)
}

// header reads and verifies the header, returning it and its length.
func (c *cacheReader) header(r io.Reader) (cacheHeader, int64, error) {
	fixed := make([]byte, fixedHeader)
	if _, err := io.ReadFull(r, fixed); err != nil {
		return cacheHeader{}, 0, c.corrupt("header truncated: %v", err)
	}
	le := binary.LittleEndian
	if string(fixed[:8]) != cacheMagic {
		return cacheHeader{}, 0, c.corrupt("magic %q, not a segqa dataset cache", fixed[:8])
	}
	nkey, ndesc := le.Uint32(fixed[44:]), le.Uint32(fixed[48:])
	if nkey >= maxText || ndesc >= maxText {
		return cacheHeader{}, 0, c.corrupt("header texts of %d and %d bytes", nkey, ndesc)
	}
	rest := make([]byte, nkey+ndesc+4)
	if _, err := io.ReadFull(r, rest); err != nil {
		return cacheHeader{}, 0, c.corrupt("header truncated: %v", err)
	}
	all := append(fixed, rest[:nkey+ndesc]...)
	if got, want := crc32.Checksum(all, castagnoli), le.Uint32(rest[nkey+ndesc:]); got != want {
		return cacheHeader{}, 0, c.corrupt("header checksum %08x, header says %08x", got, want)
	}
	if v := le.Uint32(fixed[8:]); v != cacheVersion {
		return cacheHeader{}, 0, fmt.Errorf("acdc: read cache %s: format version %d, want %d: %w", c.name, v, cacheVersion, ErrStale)
	}
	h := cacheHeader{
		size: le.Uint32(fixed[12:]), patients: le.Uint32(fixed[16:]),
		slices: le.Uint64(fixed[24:]), payload: le.Uint64(fixed[32:]), payloadCRC: le.Uint32(fixed[40:]),
		key: string(rest[:nkey]), description: string(rest[nkey : nkey+ndesc]),
	}
	return h, int64(len(all) + 4), nil
}

// checkCounts checks the header's counts against the bytes present.
func (c *cacheReader) checkCounts(h *cacheHeader, present int64) error {
	switch {
	case present < 0 || uint64(present) < h.payload:
		return c.corrupt("truncated: payload of %d bytes, %d present", h.payload, present)
	case uint64(present) > h.payload:
		return c.corrupt("%d bytes after the payload of %d", uint64(present)-h.payload, h.payload)
	case h.size < 1 || h.size > maxSize:
		return c.corrupt("slice size %d outside 1..%d", h.size, maxSize)
	case h.slices > h.payload/sliceBytes(int(h.size), 0):
		return c.corrupt("%d slices cannot fit in %d bytes", h.slices, h.payload)
	case uint64(h.patients) > h.payload/8:
		return c.corrupt("%d patients cannot fit in %d bytes", h.patients, h.payload)
	}
	return nil
}

// sliceBytes is the size of a slice record with a frame name of n bytes.
func sliceBytes(size, n int) uint64 { return uint64(1 + n + 4 + 5*size*size) }

// payload decodes the patients, checking every count against what is left.
func (c *cacheReader) payload(r *bufio.Reader, h *cacheHeader) ([]Patient, error) {
	size := int(h.size)
	left := h.slices
	patients := make([]Patient, 0, min(h.patients, 1<<12))
	buf := make([]byte, 5*size*size)
	for i := range h.patients {
		id, err1 := readText16(r)
		group, err2 := readText16(r)
		n, err3 := readUint32(r)
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, c.corrupt("patient %d: %v", i, err)
		}
		if uint64(n) > left {
			return nil, c.corrupt("patient %s: %d slices, only %d left of %d", id, n, left, h.slices)
		}
		left -= uint64(n)
		p := Patient{ID: id, Group: group, Slices: make([]Slice, 0, min(n, 1<<12))}
		for j := range n {
			var s Slice
			if err := readSlice(r, &s, id, buf, size); err != nil {
				return nil, c.corrupt("patient %s slice %d: %v", id, j, err)
			}
			p.Slices = append(p.Slices, s)
		}
		patients = append(patients, p)
	}
	if left != 0 {
		return nil, c.corrupt("%d of %d slices missing", left, h.slices)
	}
	if _, err := r.ReadByte(); err != io.EOF {
		return nil, c.corrupt("payload longer than its records")
	}
	return patients, nil
}

// readSlice decodes one slice record into s, using buf as scratch.
func readSlice(r *bufio.Reader, s *Slice, patient string, buf []byte, size int) error {
	n, err := r.ReadByte()
	if err != nil {
		return err
	}
	frame := make([]byte, n)
	if _, err := io.ReadFull(r, frame); err != nil {
		return err
	}
	z, err := readUint32(r)
	if err != nil {
		return err
	}
	if _, err := io.ReadFull(r, buf); err != nil {
		return err
	}
	*s = Slice{Patient: patient, Frame: string(frame), Z: int(z), Image: make([]float32, size*size)}
	for k := range s.Image {
		s.Image[k] = math.Float32frombits(binary.LittleEndian.Uint32(buf[4*k:]))
	}
	s.Mask = append([]uint8(nil), buf[4*size*size:]...)
	return nil
}

func readText16(r io.Reader) (string, error) {
	var n [2]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return "", err
	}
	b := make([]byte, binary.LittleEndian.Uint16(n[:]))
	_, err := io.ReadFull(r, b)
	return string(b), err
}

func readUint32(r io.Reader) (uint32, error) {
	var b [4]byte
	_, err := io.ReadFull(r, b[:])
	return binary.LittleEndian.Uint32(b[:]), err
}
