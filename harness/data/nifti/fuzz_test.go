package nifti

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var regen = flag.Bool("regen", false, "rewrite the seed corpus in testdata/fuzz/FuzzRead")

// FuzzRead feeds arbitrary bytes to Decode, which must not panic, must
// allocate no more than a small multiple of the (decompressed) input, must
// return only ErrFormat errors naming the file, and whose successes must
// survive Encode and Decode unchanged.
func FuzzRead(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		var v *Volume
		var err error
		n := allocated(func() { v, err = Decode(bytes.NewReader(data), "fuzz.nii") })
		if limit := 48*uint64(inflatedLen(data)) + 1<<20; n > limit {
			t.Fatalf("Decode of %d bytes allocated %d bytes (limit %d)", len(data), n, limit)
		}
		if err != nil {
			if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "fuzz.nii") {
				t.Fatalf("error %q does not wrap ErrFormat or name the file", err)
			}
			return
		}
		if len(v.Data) != v.Len() {
			t.Fatalf("len(Data) = %d for dims %v", len(v.Data), v.Dim)
		}
		if _, _, scaled := scaling(v.SclSlope, v.SclInter); scaled {
			return // unscaling need not give back the stored numbers exactly
		}
		v.Spacing, v.QFormCode, v.SFormCode = nil, 0, 0 // free in files, checked by Write
		var buf bytes.Buffer
		if err := Encode(&buf, v); err != nil {
			t.Fatalf("Encode of a decoded volume: %v", err)
		}
		again, err := Decode(&buf, "again.nii")
		if err != nil {
			t.Fatalf("Decode of a re-encoded volume: %v", err)
		}
		for i := range v.Data {
			if math.Float64bits(again.Data[i]) != math.Float64bits(v.Data[i]) {
				t.Fatalf("Data[%d] = %v after a round trip, was %v", i, again.Data[i], v.Data[i])
			}
		}
	})
}

// inflatedLen is the input size, or its gunzipped size if that is larger.
func inflatedLen(data []byte) int {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return len(data)
	}
	n, _ := io.Copy(io.Discard, io.LimitReader(zr, 1<<30))
	return max(len(data), int(n))
}

// fuzzSeeds are the checked-in corpus: small valid files whose name starts
// with "valid" and damaged ones starting with "broken".
func fuzzSeeds(t testing.TB) map[string][]byte {
	seeds := map[string][]byte{}
	for i, dt := range []Datatype{Uint8, Int16, Float32, Float64} {
		v := sampleVolume(dt, []int{2, 2, 2, 2}[:3+i%2], uint64(i))
		v.Version, v.ByteOrder = 1+i%2, []binary.ByteOrder{binary.LittleEndian, binary.BigEndian}[i/2]
		if dt == Int16 {
			v.SclSlope, v.SclInter = 0.5, 1
			for j := range v.Data {
				v.Data[j] = v.Data[j]*0.5 + 1
			}
		}
		seeds[fmt.Sprintf("valid_%s_v%d_%v", dt, v.Version, v.ByteOrder)] = encoded(t, v, false)
		seeds[fmt.Sprintf("valid_%s_v%d_%v_gz", dt, v.Version, v.ByteOrder)] = encoded(t, v, true)
	}
	bad := badFiles(t)
	for _, name := range []string{"pair v1", "dim0 eight", "dims overflow v2", "huge dims v1", "truncated gzip",
		"payload short", "NaN voxels", "vox_offset fraction", "complex64", "trailing data gz"} {
		seeds["broken_"+strings.ReplaceAll(name, " ", "_")] = bad[name].data
	}
	return seeds
}

// TestFuzzSeeds checks the checked-in corpus: valid seeds decode, broken ones
// fail with ErrFormat. With -regen it rewrites the corpus first.
func TestFuzzSeeds(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzRead")
	seeds := fuzzSeeds(t)
	if *regen {
		for name, data := range seeds {
			file := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", string(data))
			if err := os.WriteFile(filepath.Join(dir, name), []byte(file), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name := range seeds {
		file, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("seed missing (go test -run TestFuzzSeeds -regen): %v", err)
			continue
		}
		body, ok := strings.CutPrefix(string(file), "go test fuzz v1\n[]byte(")
		body, ok2 := strings.CutSuffix(body, ")\n")
		data, err := strconv.Unquote(body)
		if !ok || !ok2 || err != nil {
			t.Errorf("%s is not a corpus file of one []byte", name)
			continue
		}
		_, err = Decode(strings.NewReader(data), name)
		if valid := strings.HasPrefix(name, "valid"); valid && err != nil {
			t.Errorf("valid seed: %v", err)
		} else if !valid && !errors.Is(err, ErrFormat) {
			t.Errorf("broken seed %s: %v, want ErrFormat", name, err)
		}
	}
}
