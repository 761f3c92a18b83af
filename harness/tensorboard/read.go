package tensorboard

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	summarypb "github.com/wamuir/graft/tensorflow/core/framework/summary_go_proto"
	tensorpb "github.com/wamuir/graft/tensorflow/core/framework/tensor_go_proto"
	typespb "github.com/wamuir/graft/tensorflow/core/framework/types_go_proto"
	eventpb "github.com/wamuir/graft/tensorflow/core/util/event_go_proto"
	"google.golang.org/protobuf/proto"
)

// ErrCorrupt is wrapped by the errors of records whose framing or
// checksums are wrong.
var ErrCorrupt = errors.New("tensorboard: corrupt record")

// maxRecord bounds a record's length, so that a length that passes its
// checksum by chance cannot make the reader allocate without limit.
const maxRecord = 1 << 30

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// maskedCRC is TFRecord's checksum: CRC-32C, rotated right by 15 bits,
// plus a constant.
func maskedCRC(b []byte) uint32 {
	c := crc32.Checksum(b, castagnoli)
	return (c>>15 | c<<17) + 0xa282ead8
}

// ReadEvents reads an event file: TFRecord records, each a little-endian
// uint64 length, the masked CRC-32C of those 8 bytes, the data and the
// masked CRC-32C of the data, whose data is an Event proto. Both checksums
// of every record are verified; a bad one, a record cut short or an
// undecodable proto is an error wrapping ErrCorrupt, naming the record and
// its offset. The events read before it are returned with the error.
func ReadEvents(r io.Reader) ([]*eventpb.Event, error) {
	br := bufio.NewReader(r)
	var out []*eventpb.Event
	var head [12]byte
	var foot [4]byte
	for off := int64(0); ; {
		bad := func(format string, a ...any) error {
			return fmt.Errorf("%w %d at byte %d: %s", ErrCorrupt, len(out), off, fmt.Sprintf(format, a...))
		}
		if _, err := io.ReadFull(br, head[:]); err == io.EOF {
			return out, nil
		} else if err == io.ErrUnexpectedEOF {
			return out, bad("header cut short")
		} else if err != nil {
			return out, err
		}
		n := binary.LittleEndian.Uint64(head[:8])
		if got, want := maskedCRC(head[:8]), binary.LittleEndian.Uint32(head[8:]); got != want {
			return out, bad("length checksum %08x, stored %08x", got, want)
		}
		if n > maxRecord {
			return out, bad("length %d", n)
		}
		data := make([]byte, n)
		if _, err := io.ReadFull(br, data); err != nil {
			return out, bad("%d bytes of data cut short", n)
		}
		if _, err := io.ReadFull(br, foot[:]); err != nil {
			return out, bad("data checksum cut short")
		}
		if got, want := maskedCRC(data), binary.LittleEndian.Uint32(foot[:]); got != want {
			return out, bad("data checksum %08x, stored %08x", got, want)
		}
		e := new(eventpb.Event)
		if err := proto.Unmarshal(data, e); err != nil {
			return out, bad("event: %v", err)
		}
		out = append(out, e)
		off += int64(len(head)) + int64(n) + int64(len(foot))
	}
}

// ReadFile reads the events of one event file.
func ReadFile(path string) ([]*eventpb.Event, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ev, err := ReadEvents(f)
	if err != nil {
		return ev, fmt.Errorf("%s: %w", path, err)
	}
	return ev, nil
}

// Files lists the event files (events.out.tfevents.*) of dir, in name
// order, which TensorFlow's names (creation time first) make the order in
// which they were started.
func Files(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasPrefix(e.Name(), "events.out.tfevents.") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out, nil
}

// ReadDir reads the events of every event file of dir, file after file in
// the order of Files: a network trained in several sittings (resumed runs)
// has one file per sitting.
func ReadDir(dir string) ([]*eventpb.Event, error) {
	files, err := Files(dir)
	if err != nil {
		return nil, err
	}
	var out []*eventpb.Event
	for _, f := range files {
		ev, err := ReadFile(f)
		out = append(out, ev...)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// Point is one value of a scalar series.
type Point struct {
	Step  int64
	Value float64
}

// Scalars collects the scalar summaries of events by tag, in event order.
// A scalar is either a simple_value (what WriteScalarSummary writes, a
// float32) or a one-element numeric tensor (what TensorFlow 2's Python
// tf.summary.scalar writes).
func Scalars(events []*eventpb.Event) map[string][]Point {
	out := map[string][]Point{}
	for _, e := range events {
		for _, v := range e.GetSummary().GetValue() {
			var x float64
			ok := false
			switch val := v.GetValue().(type) {
			case *summarypb.Summary_Value_SimpleValue:
				x, ok = float64(val.SimpleValue), true
			case *summarypb.Summary_Value_Tensor:
				x, ok = scalarTensor(val.Tensor)
			}
			if ok {
				out[v.GetTag()] = append(out[v.GetTag()], Point{e.GetStep(), x})
			}
		}
	}
	return out
}

// scalarTensor is the value of a one-element tensor of a real type.
func scalarTensor(t *tensorpb.TensorProto) (float64, bool) {
	n := int64(1)
	for _, d := range t.GetTensorShape().GetDim() {
		n *= d.GetSize()
	}
	if n != 1 {
		return 0, false
	}
	c := t.GetTensorContent()
	switch t.GetDtype() {
	case typespb.DataType_DT_FLOAT:
		if len(t.GetFloatVal()) > 0 {
			return float64(t.GetFloatVal()[0]), true
		}
		if len(c) == 4 {
			return float64(math.Float32frombits(binary.LittleEndian.Uint32(c))), true
		}
	case typespb.DataType_DT_DOUBLE:
		if len(t.GetDoubleVal()) > 0 {
			return t.GetDoubleVal()[0], true
		}
		if len(c) == 8 {
			return math.Float64frombits(binary.LittleEndian.Uint64(c)), true
		}
	case typespb.DataType_DT_INT32:
		if len(t.GetIntVal()) > 0 {
			return float64(t.GetIntVal()[0]), true
		}
		if len(c) == 4 {
			return float64(int32(binary.LittleEndian.Uint32(c))), true
		}
	case typespb.DataType_DT_INT64:
		if len(t.GetInt64Val()) > 0 {
			return float64(t.GetInt64Val()[0]), true
		}
		if len(c) == 8 {
			return float64(int64(binary.LittleEndian.Uint64(c))), true
		}
	}
	return 0, false
}

// Image is one image summary: an encoded image (PNG from Writer.Image)
// and its size.
type Image struct {
	Step          int64
	Height, Width int
	Channels      int // TensorBoard's colorspace: 1 grey, 3 RGB, 4 RGBA
	Encoded       []byte
}

// Images collects the image summaries of events by tag, in event order.
func Images(events []*eventpb.Event) map[string][]Image {
	out := map[string][]Image{}
	for _, e := range events {
		for _, v := range e.GetSummary().GetValue() {
			if im := v.GetImage(); im != nil {
				out[v.GetTag()] = append(out[v.GetTag()], Image{
					Step: e.GetStep(), Height: int(im.GetHeight()), Width: int(im.GetWidth()),
					Channels: int(im.GetColorspace()), Encoded: im.GetEncodedImageString(),
				})
			}
		}
	}
	return out
}
