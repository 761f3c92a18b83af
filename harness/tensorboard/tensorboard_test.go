package tensorboard_test

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	summarypb "github.com/wamuir/graft/tensorflow/core/framework/summary_go_proto"
	tensorpb "github.com/wamuir/graft/tensorflow/core/framework/tensor_go_proto"
	shapepb "github.com/wamuir/graft/tensorflow/core/framework/tensor_shape_go_proto"
	typespb "github.com/wamuir/graft/tensorflow/core/framework/types_go_proto"
	eventpb "github.com/wamuir/graft/tensorflow/core/util/event_go_proto"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/tensorboard"
)

type scalar struct {
	tag  string
	step int64
	v    float64
}

var written = []scalar{
	{"loss/train", 1, 0.75}, {"loss/train", 2, 0.5}, {"loss/train", 3, 1.0 / 3},
	{"learning_rate", 1, 1e-3}, {"learning_rate", 2, 2.5e-4},
	{"big", 7, 123456.789}, {"negative", 0, -2.25},
}

// sample is three 5x7 images, each a horizontal ramp from -1 to 1 shifted
// by its index: dark to bright, in three levels.
var sample = func() []float32 {
	out := make([]float32, 3*5*7)
	for i := range 3 {
		for y := range 5 {
			for x := range 7 {
				out[(i*5+y)*7+x] = float32(x)/6*2 - 1 + float32(i)
			}
		}
	}
	return out
}()

// onlyFile is the one event file of dir.
func onlyFile(t *testing.T, dir string) string {
	t.Helper()
	files, err := tensorboard.Files(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 {
		t.Fatalf("%d event files in %s, want 1: %v", len(files), dir, files)
	}
	return files[0]
}

// writeSample writes the scalars of written and the images of sample, in
// [-1, 1], to a new writer in dir and closes it, returning the event file.
func writeSample(t *testing.T, dir string) string {
	t.Helper()
	w, err := tensorboard.Open(dir, tensorboard.Options{Suffix: ".test"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range written {
		if err := w.Scalar(s.tag, s.step, s.v); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Image("recon", 4, sample, 3, 5, 7, -1, 1); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := w.Scalar("late", 1, 1); !errors.Is(err, tensorboard.ErrClosed) {
		t.Errorf("Scalar after Close: %v, want ErrClosed", err)
	}
	return onlyFile(t, dir)
}

func TestScalarsAndImagesRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tensorboard", "net")
	path := writeSample(t, dir)
	if name := filepath.Base(path); !strings.HasPrefix(name, "events.out.tfevents.") || !strings.HasSuffix(name, ".test") {
		t.Errorf("event file %s", name)
	}
	events, err := tensorboard.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) == 0 || !strings.HasPrefix(events[0].GetFileVersion(), "brain.Event:") {
		t.Fatalf("events begin %v, want the file version", events)
	}
	got := tensorboard.Scalars(events)
	want := map[string][]tensorboard.Point{}
	for _, s := range written {
		want[s.tag] = append(want[s.tag], tensorboard.Point{Step: s.step, Value: s.v})
	}
	if len(got) != len(want) {
		t.Errorf("tags %v, want %v", got, want)
	}
	for tag, ps := range want {
		if len(got[tag]) != len(ps) {
			t.Errorf("%s: %v, want %v", tag, got[tag], ps)
			continue
		}
		for i, p := range ps {
			g := got[tag][i]
			// Stored as float32: exact to float32 rounding.
			if g.Step != p.Step || g.Value != float64(float32(p.Value)) {
				t.Errorf("%s[%d] = %+v, want %+v", tag, i, g, p)
			}
		}
	}

	ims := tensorboard.Images(events)
	if len(ims) != 3 {
		t.Fatalf("image tags %v, want recon/image/0..2", keys(ims))
	}
	// Each image is a ramp shifted by i in [-1, 1]: image 0 runs black to
	// white, image 1 from mid grey up and clips, image 2 is all white.
	for i := range 3 {
		tag := "recon/image/" + string(rune('0'+i))
		list := ims[tag]
		if len(list) != 1 {
			t.Fatalf("%s: %d images", tag, len(list))
		}
		im := list[0]
		if im.Step != 4 || im.Height != 5 || im.Width != 7 || im.Channels != 1 {
			t.Errorf("%s: step %d, %dx%dx%d, want step 4, 5x7x1", tag, im.Step, im.Height, im.Width, im.Channels)
		}
		dec, err := png.Decode(bytes.NewReader(im.Encoded))
		if err != nil {
			t.Fatalf("%s: %v", tag, err)
		}
		if b := dec.Bounds(); b.Dx() != 7 || b.Dy() != 5 {
			t.Fatalf("%s: PNG is %dx%d, want 7x5", tag, b.Dx(), b.Dy())
		}
		if _, grey := dec.(*image.Gray); !grey {
			t.Errorf("%s: PNG decodes to %T, want grey", tag, dec)
		}
		for y := range 5 {
			for x := range 7 {
				v := float64(sample[(i*5+y)*7+x])
				want := uint32(math.Round(math.Min(255, (v+1)*127.5)))
				if g, _, _, _ := dec.At(x, y).RGBA(); g>>8 != want {
					t.Errorf("%s (%d, %d): grey %d, want %d", tag, x, y, g>>8, want)
				}
			}
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestFlippedByteIsACRCError flips one byte in each part of a record (the
// length, its checksum, the data, the data's checksum): each gives a
// checksum error naming the record, and the records before it are kept.
func TestFlippedByteIsACRCError(t *testing.T) {
	path := writeSample(t, t.TempDir())
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	clean, err := tensorboard.ReadEvents(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	// The second record starts after the first: 12 + length + 4 bytes.
	first := 12 + int(raw[0]) + int(raw[1])<<8 + 4
	for _, c := range []struct {
		at   int
		want string
	}{
		{first + 0, "length checksum"},
		{first + 9, "length checksum"},
		{first + 12 + 3, "data checksum"},
		{len(raw) - 1, "data checksum"},
	} {
		bad := bytes.Clone(raw)
		bad[c.at] ^= 0x10
		ev, err := tensorboard.ReadEvents(bytes.NewReader(bad))
		if !errors.Is(err, tensorboard.ErrCorrupt) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("byte %d flipped: error %v, want %q", c.at, err, c.want)
			continue
		}
		t.Logf("byte %d flipped: %v", c.at, err)
		wantKept := 1
		if c.at == len(raw)-1 {
			wantKept = len(clean) - 1
		}
		if len(ev) != wantKept {
			t.Errorf("byte %d flipped: %d events kept, want %d", c.at, len(ev), wantKept)
		}
	}
	if _, err := tensorboard.ReadEvents(bytes.NewReader(raw[:len(raw)-2])); !errors.Is(err, tensorboard.ErrCorrupt) {
		t.Errorf("truncated file: %v, want ErrCorrupt", err)
	}
}

// TestScalarFromTensor covers the other form of a scalar, TensorFlow 2's
// one-element tensors, as values and as tensor content.
func TestScalarFromTensor(t *testing.T) {
	scalarShape := &shapepb.TensorShapeProto{}
	ev := []*eventpb.Event{{Step: 3, What: &eventpb.Event_Summary{Summary: &summarypb.Summary{Value: []*summarypb.Summary_Value{
		{Tag: "f", Value: &summarypb.Summary_Value_Tensor{Tensor: &tensorpb.TensorProto{Dtype: typespb.DataType_DT_FLOAT, TensorShape: scalarShape, FloatVal: []float32{1.5}}}},
		{Tag: "d", Value: &summarypb.Summary_Value_Tensor{Tensor: &tensorpb.TensorProto{Dtype: typespb.DataType_DT_DOUBLE, TensorShape: scalarShape,
			TensorContent: []byte{0, 0, 0, 0, 0, 0, 0x04, 0xc0}}}}, // -2.5
		{Tag: "vec", Value: &summarypb.Summary_Value_Tensor{Tensor: &tensorpb.TensorProto{Dtype: typespb.DataType_DT_FLOAT,
			TensorShape: &shapepb.TensorShapeProto{Dim: []*shapepb.TensorShapeProto_Dim{{Size: 2}}}, FloatVal: []float32{1, 2}}}},
		{Tag: "s", Value: &summarypb.Summary_Value_SimpleValue{SimpleValue: 0.25}},
	}}}}}
	got := tensorboard.Scalars(ev)
	want := map[string]float64{"f": 1.5, "d": -2.5, "s": 0.25}
	if len(got) != len(want) {
		t.Errorf("tags %v, want f, d, s", got)
	}
	for tag, v := range want {
		if len(got[tag]) != 1 || got[tag][0] != (tensorboard.Point{Step: 3, Value: v}) {
			t.Errorf("%s: %v, want %v at step 3", tag, got[tag], v)
		}
	}
}

// TestEpochWritesEveryTag checks the observer: five tags per epoch at
// step = epoch, flushed without Close.
func TestEpochWritesEveryTag(t *testing.T) {
	dir := t.TempDir()
	w, err := tensorboard.Open(dir, tensorboard.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	rows := []results.Epoch{
		{Epoch: 1, TrainLoss: 0.9, ValLoss: 0.8, ValMetric: 0.7, ImagesPS: 120.5},
		{Epoch: 2, TrainLoss: 0.6, ValLoss: 0.55, ValMetric: 0.5, ImagesPS: 130},
	}
	for i, r := range rows {
		if err := w.Epoch(r, 1e-3/float64(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	events, err := tensorboard.ReadFile(onlyFile(t, dir)) // still open: Epoch flushed
	if err != nil {
		t.Fatal(err)
	}
	got := tensorboard.Scalars(events)
	for i, r := range rows {
		for tag, v := range map[string]float64{
			tensorboard.TagTrainLoss: r.TrainLoss, tensorboard.TagValLoss: r.ValLoss, tensorboard.TagValMetric: r.ValMetric,
			tensorboard.TagLR: 1e-3 / float64(i+1), tensorboard.TagThroughput: r.ImagesPS,
		} {
			if len(got[tag]) != len(rows) {
				t.Fatalf("%s: %v", tag, got[tag])
			}
			if p := got[tag][i]; p.Step != int64(r.Epoch) || math.Abs(p.Value-v) > 1e-6*math.Abs(v) {
				t.Errorf("%s epoch %d: %+v, want %v", tag, r.Epoch, p, v)
			}
		}
	}
}
