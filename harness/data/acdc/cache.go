package acdc

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
)

// The prepared-data cache is one little-endian file: a header, then the
// payload of every patient and slice.
//
//	header:  magic "segqa-ds", version u32, size u32, patients u32, 0 u32,
//	         slices u64, payload bytes u64, payload CRC-32C u32,
//	         key bytes u32, options bytes u32, key, options text,
//	         CRC-32C of all header bytes before it u32
//	patient: id bytes u16, id, group bytes u16, group, slices u32
//	slice:   frame bytes u8, frame, z u32, size*size float32, size*size u8
//
// Later versions keep the header's layout up to the texts and their
// checksum, so that any version can be told apart from damage.
const (
	cacheMagic   = "segqa-ds"
	cacheVersion = 1
	fixedHeader  = 52
	maxText      = 1 << 16
)

// ErrStale is wrapped by LoadCache when the cache was made under another
// key.
var ErrStale = errors.New("acdc: cache was made with other settings")

// ErrCorrupt is wrapped by LoadCache for a damaged or foreign file.
var ErrCorrupt = errors.New("acdc: corrupt cache")

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// cacheHeader is the decoded fixed part of the header and its texts.
type cacheHeader struct {
	size, patients   uint32
	slices, payload  uint64
	payloadCRC       uint32
	key, description string
}

func (h *cacheHeader) marshal() []byte {
	b := make([]byte, 0, fixedHeader+len(h.key)+len(h.description)+4)
	b = append(b, cacheMagic...)
	for _, v := range []uint32{cacheVersion, h.size, h.patients, 0} {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	b = binary.LittleEndian.AppendUint64(b, h.slices)
	b = binary.LittleEndian.AppendUint64(b, h.payload)
	b = binary.LittleEndian.AppendUint32(b, h.payloadCRC)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(h.key)))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(h.description)))
	b = append(b, h.key...)
	b = append(b, h.description...)
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
}

// SaveCache writes the patients' slices to path atomically, under key (the
// caller's hash of the settings that made them). Every slice must have
// opt.Size*opt.Size pixels (after defaults).
func SaveCache(path, key string, patients []Patient, opt Options) error {
	opt = opt.Defaults()
	h := cacheHeader{size: uint32(opt.Size), patients: uint32(len(patients)), key: key, description: opt.describe()}
	if err := checkCacheable(patients, opt.Size, key); err != nil {
		return fmt.Errorf("acdc: write %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("acdc: write %s: %w", path, err)
	}
	return writeAtomic(path, func(f *os.File) error {
		if _, err := f.Write(h.marshal()); err != nil {
			return err
		}
		bw := bufio.NewWriterSize(f, 1<<20)
		cw := &crcWriter{w: bw, crc: crc32.New(castagnoli)}
		for i := range patients {
			h.slices += uint64(len(patients[i].Slices))
			if err := encodePatient(cw, &patients[i], opt.Size); err != nil {
				return err
			}
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		h.payload, h.payloadCRC = cw.n, cw.crc.Sum32()
		_, err := f.WriteAt(h.marshal(), 0)
		return err
	})
}

// checkCacheable refuses what the format cannot hold.
func checkCacheable(patients []Patient, size int, key string) error {
	if len(key) >= maxText {
		return fmt.Errorf("key of %d bytes is too long", len(key))
	}
	if uint64(len(patients)) > math.MaxUint32 {
		return fmt.Errorf("%d patients is too many", len(patients))
	}
	for _, p := range patients {
		if len(p.ID) > math.MaxUint16 || len(p.Group) > math.MaxUint16 || uint64(len(p.Slices)) > math.MaxUint32 {
			return fmt.Errorf("patient %.40q: ID, group or slice count too long", p.ID)
		}
		for _, s := range p.Slices {
			switch {
			case len(s.Image) != size*size || len(s.Mask) != size*size:
				return fmt.Errorf("%s %s z=%d: %d pixels and %d mask values, want %d", p.ID, s.Frame, s.Z, len(s.Image), len(s.Mask), size*size)
			case len(s.Frame) > math.MaxUint8 || s.Z < 0 || uint64(s.Z) > math.MaxUint32:
				return fmt.Errorf("%s: frame %.40q z=%d cannot be stored", p.ID, s.Frame, s.Z)
			}
		}
	}
	return nil
}

// crcWriter counts and checksums what it passes on.
type crcWriter struct {
	w   io.Writer
	crc hash.Hash32
	n   uint64
}

func (c *crcWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.crc.Write(b[:n])
	c.n += uint64(n)
	return n, err
}

// encodePatient writes one patient record and its slices.
func encodePatient(w io.Writer, p *Patient, size int) error {
	var b bytes.Buffer
	b.Write(binary.LittleEndian.AppendUint16(nil, uint16(len(p.ID))))
	b.WriteString(p.ID)
	b.Write(binary.LittleEndian.AppendUint16(nil, uint16(len(p.Group))))
	b.WriteString(p.Group)
	b.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(p.Slices))))
	if _, err := w.Write(b.Bytes()); err != nil {
		return err
	}
	buf := make([]byte, 0, 1+math.MaxUint8+4+5*size*size)
	for _, s := range p.Slices {
		buf = append(buf[:0], byte(len(s.Frame)))
		buf = append(buf, s.Frame...)
		buf = binary.LittleEndian.AppendUint32(buf, uint32(s.Z))
		for _, v := range s.Image {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
		}
		buf = append(buf, s.Mask...)
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}
