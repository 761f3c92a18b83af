package tensorboard

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/tfrun"
)

// Tags of the scalars Epoch writes, one value per epoch at step = epoch.
const (
	TagTrainLoss  = "loss/train"
	TagValLoss    = "loss/val"
	TagValMetric  = "metric/val"
	TagLR         = "learning_rate"
	TagThroughput = "images_per_second" // training images per second of training
)

// Dir is the event directory of one network of a run: RUN/tensorboard/NETWORK.
func Dir(run, network string) string { return filepath.Join(run, "tensorboard", network) }

// Options tune a Writer; the zero value is fine.
type Options struct {
	// MaxQueue is how many events are queued before they are written
	// (0: 10).
	MaxQueue int
	// FlushMillis is the longest time an event stays queued (0: 10 s).
	FlushMillis int
	// Suffix ends the event file's name, after TensorFlow's
	// events.out.tfevents.TIME.HOST...; empty by default.
	Suffix string
	// MaxImages is the most images one Image call writes (0: 4). It also
	// names them: with MaxImages > 1 image i of tag T is "T/image/i",
	// otherwise it is "T/image".
	MaxImages int
}

// ErrClosed is returned by a Writer's methods after Close.
var ErrClosed = errors.New("tensorboard: writer closed")

// Writer writes one event file through a TensorFlow summary-writer
// resource in a graph and session of its own. Its methods may be called
// from several goroutines.
type Writer struct {
	dir       string
	maxImages int

	mu     sync.Mutex
	sess   *tf.Session // nil once closed
	step   tf.Output
	tag    tf.Output
	value  tf.Output
	images tf.Output
	scalar *tf.Operation
	image  *tf.Operation
	flush  *tf.Operation
	close  *tf.Operation
}

var writers atomic.Int64

// Open creates logdir if needed and starts a new event file in it,
// events.out.tfevents.*, named by TensorFlow.
func Open(logdir string, o Options) (*Writer, error) {
	if o.MaxQueue <= 0 {
		o.MaxQueue = 10
	}
	if o.FlushMillis <= 0 {
		o.FlushMillis = 10000
	}
	if o.MaxImages <= 0 {
		o.MaxImages = 4
	}
	abs, err := filepath.Abs(logdir)
	if err != nil {
		return nil, fmt.Errorf("tensorboard: %w", err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("tensorboard: %w", err)
	}
	s := op.NewScope()
	// The resource's shared name is unique in the process, so two writers
	// never share (and close) one file writer.
	shared := fmt.Sprintf("segqa_tensorboard_%d_%d", os.Getpid(), writers.Add(1))
	writer := s.AddOperation(tf.OpSpec{
		Type:  "SummaryWriter",
		Attrs: map[string]any{"shared_name": shared, "container": ""},
	}).Output(0)
	create := s.AddOperation(tf.OpSpec{
		Type: "CreateSummaryFileWriter",
		Input: []tf.Input{writer,
			op.Const(s.SubScope("logdir"), abs),
			op.Const(s.SubScope("max_queue"), int32(o.MaxQueue)),
			op.Const(s.SubScope("flush_millis"), int32(o.FlushMillis)),
			op.Const(s.SubScope("filename_suffix"), o.Suffix),
		},
	})
	w := &Writer{dir: abs, maxImages: o.MaxImages}
	w.step = op.Placeholder(s.SubScope("step"), tf.Int64, op.PlaceholderShape(tf.ScalarShape()))
	w.tag = op.Placeholder(s.SubScope("tag"), tf.String, op.PlaceholderShape(tf.ScalarShape()))
	w.value = op.Placeholder(s.SubScope("value"), tf.Double, op.PlaceholderShape(tf.ScalarShape()))
	w.images = op.Placeholder(s.SubScope("images"), tf.Uint8, op.PlaceholderShape(tf.MakeShape(-1, -1, -1, 1)))
	w.scalar = op.WriteScalarSummary(s, writer, w.step, w.tag, w.value)
	// bad_color paints non-finite pixels; uint8 images have none.
	bad := op.Const(s.SubScope("bad_color"), []uint8{255, 0, 0, 255})
	w.image = op.WriteImageSummary(s, writer, w.step, w.tag, w.images, bad, op.WriteImageSummaryMaxImages(int64(o.MaxImages)))
	w.flush = s.AddOperation(tf.OpSpec{Type: "FlushSummaryWriter", Input: []tf.Input{writer}})
	w.close = s.AddOperation(tf.OpSpec{Type: "CloseSummaryWriter", Input: []tf.Input{writer}})
	sess, err := tfrun.Open(s, tfrun.Options{Threads: 1, Device: "cpu"})
	if err != nil {
		return nil, fmt.Errorf("tensorboard: %w", err)
	}
	if _, err := sess.Run(nil, nil, []*tf.Operation{create}); err != nil {
		sess.Close()
		return nil, fmt.Errorf("tensorboard: open %s: %w", abs, err)
	}
	w.sess = sess
	return w, nil
}

// Dir is the directory the writer writes to, made absolute.
func (w *Writer) Dir() string { return w.dir }

func (w *Writer) run(what string, feeds map[tf.Output]*tf.Tensor, target *tf.Operation) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.sess == nil {
		return ErrClosed
	}
	if _, err := w.sess.Run(feeds, nil, []*tf.Operation{target}); err != nil {
		return fmt.Errorf("tensorboard: %s: %w", what, err)
	}
	return nil
}

// Scalar writes v under tag at step.
func (w *Writer) Scalar(tag string, step int64, v float64) error {
	t, s, x, err := tensors(tag, step, v)
	if err != nil {
		return err
	}
	return w.run("scalar "+tag, map[tf.Output]*tf.Tensor{w.tag: t, w.step: s, w.value: x}, w.scalar)
}

// Image writes up to MaxImages grey images under tag at step: imgs holds
// n images of h rows of w pixels, row-major, mapped linearly from [lo, hi]
// to black..white (values outside are clipped, NaN is black). TensorFlow
// stores each as a PNG.
func (w *Writer) Image(tag string, step int64, imgs []float32, n, h, wd int, lo, hi float64) error {
	if n <= 0 || h <= 0 || wd <= 0 || len(imgs) != n*h*wd {
		return fmt.Errorf("tensorboard: image %s: %d values for %d images of %dx%d", tag, len(imgs), n, h, wd)
	}
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return fmt.Errorf("tensorboard: image %s: range [%g, %g] is empty", tag, lo, hi)
	}
	px := make([]byte, len(imgs))
	scale := 255 / (hi - lo)
	for i, v := range imgs {
		u := math.Round((float64(v) - lo) * scale)
		switch {
		case u >= 255:
			px[i] = 255
		case u > 0: // NaN fails every comparison and stays 0
			px[i] = byte(u)
		}
	}
	img, err := tf.NewTensor(px)
	if err == nil {
		err = img.Reshape([]int64{int64(n), int64(h), int64(wd), 1})
	}
	if err != nil {
		return fmt.Errorf("tensorboard: image %s: %w", tag, err)
	}
	t, s, _, err := tensors(tag, step, 0)
	if err != nil {
		return err
	}
	return w.run("image "+tag, map[tf.Output]*tf.Tensor{w.tag: t, w.step: s, w.images: img}, w.image)
}

func tensors(tag string, step int64, v float64) (t, s, x *tf.Tensor, err error) {
	if t, err = tf.NewTensor(tag); err != nil {
		return
	}
	if s, err = tf.NewTensor(step); err != nil {
		return
	}
	x, err = tf.NewTensor(v)
	return
}

// Epoch writes one epoch of a training history (step = its epoch number)
// and the learning rate it trained with, then flushes, so that the file
// follows training epoch by epoch. A run without validation data writes
// the zeros its history holds for the validation tags.
func (w *Writer) Epoch(e results.Epoch, lr float64) error {
	step := int64(e.Epoch)
	for _, s := range []struct {
		tag string
		v   float64
	}{
		{TagTrainLoss, e.TrainLoss},
		{TagValLoss, e.ValLoss},
		{TagValMetric, e.ValMetric},
		{TagLR, lr},
		{TagThroughput, e.ImagesPS},
	} {
		if err := w.Scalar(s.tag, step, s.v); err != nil {
			return err
		}
	}
	return w.Flush()
}

// Flush writes every queued event to the file.
func (w *Writer) Flush() error { return w.run("flush", nil, w.flush) }

// Close flushes and closes the event file and the writer's session. Closing
// twice is not an error.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.sess == nil {
		return nil
	}
	// Two runs: the ops of one run have no order.
	_, err := w.sess.Run(nil, nil, []*tf.Operation{w.flush})
	if err == nil {
		_, err = w.sess.Run(nil, nil, []*tf.Operation{w.close})
	}
	if err != nil {
		err = fmt.Errorf("tensorboard: close %s: %w", w.dir, err)
	}
	if cerr := w.sess.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("tensorboard: close session: %w", cerr)
	}
	w.sess = nil
	return err
}
