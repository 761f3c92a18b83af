package tfrun

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/run"
)

// CheckpointPrefix is the file prefix inside a checkpoint directory:
// DIR/ckpt.index and DIR/ckpt.data-00000-of-00001, what tf.train.load_checkpoint("DIR/ckpt") reads.
const CheckpointPrefix = "ckpt"

// Save writes the variables of saver, and the extra files given by name,
// into directory dir atomically: it saves into a temporary sibling directory
// and renames it over dir, so the checkpoint and its extra files (such as
// the training state) always agree.
func Save(sess *tf.Session, saver *graphs.Saver, dir string, extra map[string][]byte) error {
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("save checkpoint %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(parent, run.TempPrefix+filepath.Base(dir)+"-")
	if err != nil {
		return fmt.Errorf("save checkpoint %s: %w", dir, err)
	}
	defer os.RemoveAll(tmp)
	prefix, err := tf.NewTensor(filepath.Join(tmp, CheckpointPrefix))
	if err != nil {
		return err
	}
	if _, err := sess.Run(map[tf.Output]*tf.Tensor{saver.Prefix: prefix}, nil, []*tf.Operation{saver.Save}); err != nil {
		return fmt.Errorf("save checkpoint %s: %w", dir, err)
	}
	for name, data := range extra {
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			return fmt.Errorf("save checkpoint %s: %w", dir, err)
		}
	}
	old := dir + ".old"
	os.RemoveAll(old)
	if _, err := os.Stat(dir); err == nil {
		if err := os.Rename(dir, old); err != nil {
			return fmt.Errorf("save checkpoint %s: %w", dir, err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("save checkpoint %s: %w", dir, err)
	}
	return os.RemoveAll(old)
}

// ErrCheckpoint is wrapped by every error of Restore: the checkpoint is
// missing or unreadable (TensorFlow checks each tensor's CRC32C as it
// reads it).
var ErrCheckpoint = errors.New("tfrun: checkpoint unreadable")

// CheckpointError names the checkpoint directory that Restore could not
// read.
type CheckpointError struct {
	Dir string
	Err error
}

func (e *CheckpointError) Error() string {
	return fmt.Sprintf("restore checkpoint %s: %v", e.Dir, e.Err)
}

func (e *CheckpointError) Unwrap() []error { return []error{ErrCheckpoint, e.Err} }

// Restore loads the variables of saver from directory dir; its errors are
// *CheckpointError.
func Restore(sess *tf.Session, saver *graphs.Saver, dir string) error {
	// A save killed between its two renames leaves the previous checkpoint
	// at dir.old; it is still a whole one.
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		if _, err := os.Stat(dir + ".old"); err == nil {
			dir += ".old"
		}
	}
	if _, err := os.Stat(filepath.Join(dir, CheckpointPrefix+".index")); err != nil {
		return &CheckpointError{Dir: dir, Err: err}
	}
	prefix, err := tf.NewTensor(filepath.Join(dir, CheckpointPrefix))
	if err != nil {
		return err
	}
	if _, err := sess.Run(map[tf.Output]*tf.Tensor{saver.Prefix: prefix}, nil, []*tf.Operation{saver.Restore}); err != nil {
		return &CheckpointError{Dir: dir, Err: err}
	}
	return nil
}
