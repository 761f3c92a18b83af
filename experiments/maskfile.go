package experiments

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/segqa/segqa/harness/run"
)

// A masks file holds many bit-packed masks of one size (the zoo's
// segmentations, the pools' candidates) under a JSON header that says what
// they are.

const masksMagic = "SEGQAMASKS1\n"

// saveMasks writes a masks file: a magic line, the JSON header, then the
// bit-packed masks, all of one size.
func saveMasks(path string, header any, masks [][]byte) error {
	hdr, err := json.Marshal(header)
	if err != nil {
		return err
	}
	size := 0
	if len(masks) > 0 {
		size = len(masks[0])
	}
	return run.WriteAtomic(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		bw.WriteString(masksMagic)
		binary.Write(bw, binary.LittleEndian, [3]uint32{uint32(len(hdr)), uint32(len(masks)), uint32(size)})
		bw.Write(hdr)
		for _, m := range masks {
			if len(m) != size {
				return fmt.Errorf("masks of %d and %d bytes in one file", size, len(m))
			}
			bw.Write(m)
		}
		return bw.Flush()
	})
}

// loadMasks reads a masks file, decoding its header into header.
func loadMasks(path string, header any) ([][]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	bad := func(why string) error { return fmt.Errorf("masks file %s: %s", path, why) }
	if !bytes.HasPrefix(raw, []byte(masksMagic)) || len(raw) < len(masksMagic)+12 {
		return nil, bad("not a segqa masks file")
	}
	raw = raw[len(masksMagic):]
	h, n, size := int(binary.LittleEndian.Uint32(raw)), int(binary.LittleEndian.Uint32(raw[4:])), int(binary.LittleEndian.Uint32(raw[8:]))
	raw = raw[12:]
	if h > len(raw) || int64(n)*int64(size) != int64(len(raw)-h) {
		return nil, bad("truncated or corrupt")
	}
	if err := json.Unmarshal(raw[:h], header); err != nil {
		return nil, bad(err.Error())
	}
	body := raw[h:]
	masks := make([][]byte, n)
	for i := range masks {
		masks[i] = body[i*size : (i+1)*size]
	}
	return masks, nil
}

func savePredictions(path string, p *Predictions) error { return saveMasks(path, p, p.Masks) }

func loadPredictions(path string) (*Predictions, error) {
	var p Predictions
	masks, err := loadMasks(path, &p)
	if err != nil {
		return nil, err
	}
	if len(masks) != len(p.Dice) {
		return nil, fmt.Errorf("predictions %s: %d masks for %d Dice values", path, len(masks), len(p.Dice))
	}
	p.Masks = masks
	return &p, nil
}
