package experiments

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/harness/progress"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/tfrun"
	"github.com/segqa/segqa/harness/train"
)

// Dice is 2|A∩B| / (|A| + |B|) of two binary masks; two empty masks score 1
// (an empty prediction of an absent structure is right).
func Dice(a, b []uint8) float64 {
	var inter, sum int
	for i := range a {
		x, y := a[i] != 0, b[i] != 0
		if x && y {
			inter++
		}
		if x {
			sum++
		}
		if y {
			sum++
		}
	}
	if sum == 0 {
		return 1
	}
	return 2 * float64(inter) / float64(sum)
}

func toFloat(m []uint8) []float32 {
	out := make([]float32, len(m))
	for i, v := range m {
		if v != 0 {
			out[i] = 1
		}
	}
	return out
}

func packBits(m []uint8) []byte {
	out := make([]byte, (len(m)+7)/8)
	for i, v := range m {
		if v != 0 {
			out[i/8] |= 1 << (i % 8)
		}
	}
	return out
}

func unpackBits(b []byte, n int) []uint8 {
	out := make([]uint8, n)
	for i := range out {
		out[i] = (b[i/8] >> (i % 8)) & 1
	}
	return out
}

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

func newBar(w io.Writer, label string, total int, unit string) *progress.Bar {
	return progress.New(w, label, total, unit)
}

// pairBatch stacks the image and mask of every sample of batch, each pair
// under one random dihedral transform when rng is not nil (augmentation
// before anything is computed from them).
func pairBatch(px int, batch []int, rng *rand.Rand, pair func(b int) ([]float32, []uint8)) (imgs, masks []float32) {
	imgs, masks, _ = pairBatchK(px, batch, rng, pair)
	return imgs, masks
}

// pairBatchK is pairBatch that also returns the transform of each sample.
func pairBatchK(px int, batch []int, rng *rand.Rand, pair func(b int) ([]float32, []uint8)) (imgs, masks []float32, ks []int) {
	imgs = make([]float32, 0, len(batch)*px*px)
	masks = make([]float32, 0, len(batch)*px*px)
	ks = make([]int, len(batch))
	for i, b := range batch {
		img, mask := pair(b)
		ks[i] = train.DihedralK(rng)
		a := train.ApplyDihedral(ks[i], px, img, toFloat(mask))
		imgs, masks = append(imgs, a[0]...), append(masks, a[1]...)
	}
	return imgs, masks, ks
}

// images makes the [n, px, px, 1] tensor of n stacked images.
func images(data []float32, n, px int) *tf.Tensor {
	return tfrun.MustFloat32(data, int64(n), int64(px), int64(px), 1)
}

// augmenting is rng when augment is set, nil otherwise.
func augmenting(rng *rand.Rand, augment bool) *rand.Rand {
	if augment {
		return rng
	}
	return nil
}
