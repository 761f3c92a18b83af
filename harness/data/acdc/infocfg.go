package acdc

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// Info is a patient's Info.cfg: the end-diastolic and end-systolic frame
// numbers (1-based, as in the file names) and the clinical metadata.
type Info struct {
	ED, ES         int
	NbFrame        int     // 0 when the file does not say
	Group          string  // "" when the file does not say (ACDC's test set)
	Height, Weight float64 // cm and kg; 0 when the file does not say
}

// ReadInfo reads an Info.cfg file; errors name it.
func ReadInfo(path string) (Info, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Info{}, fmt.Errorf("acdc: %w", err)
	}
	info, err := ParseInfo(bytes.NewReader(b))
	if err != nil {
		return Info{}, fmt.Errorf("acdc: read %s: %w", path, err)
	}
	return info, nil
}

// ParseInfo reads "Key: value" lines. ED and ES are required; Group,
// Height, NbFrame and Weight are optional; other keys, blank lines and
// lines starting with '#' are ignored. Keys match regardless of case.
func ParseInfo(r io.Reader) (Info, error) {
	var info Info
	seen := map[string]bool{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			return Info{}, fmt.Errorf("line %d: %q is not \"Key: value\"", n, line)
		}
		key, val = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(val)
		if err := info.set(key, val); err != nil {
			return Info{}, fmt.Errorf("line %d: %s: %w", n, key, err)
		}
		seen[key] = true
	}
	if err := sc.Err(); err != nil {
		return Info{}, err
	}
	for _, k := range []string{"ed", "es"} {
		if !seen[k] {
			return Info{}, fmt.Errorf("no %s line", strings.ToUpper(k))
		}
	}
	return info, nil
}

// set stores one key's value.
func (info *Info) set(key, val string) error {
	var err error
	switch key {
	case "ed":
		info.ED, err = frameNumber(val)
	case "es":
		info.ES, err = frameNumber(val)
	case "nbframe":
		info.NbFrame, err = frameNumber(val)
	case "group":
		info.Group = val
	case "height":
		info.Height, err = measure(val)
	case "weight":
		info.Weight, err = measure(val)
	}
	return err
}

// frameNumber parses a positive whole number, also written as "12.0".
func frameNumber(s string) (int, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || f < 1 || f > 1e6 {
		return 0, fmt.Errorf("%q is not a frame number", s)
	}
	return int(f), nil
}

// measure parses a finite, non-negative number.
func measure(s string) (float64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !(f >= 0) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is not a non-negative number", s)
	}
	return f, nil
}

// WriteTo writes info in ACDC's format and key order. NbFrame is left out
// when it is 0 (unknown), as ParseInfo reads a file without it.
func (info Info) WriteTo(w io.Writer) (int64, error) {
	frames := ""
	if info.NbFrame != 0 {
		frames = fmt.Sprintf("NbFrame: %d\n", info.NbFrame)
	}
	n, err := fmt.Fprintf(w, "ED: %d\nES: %d\nGroup: %s\nHeight: %.1f\n%sWeight: %.1f\n",
		info.ED, info.ES, info.Group, info.Height, frames, info.Weight)
	return int64(n), err
}
