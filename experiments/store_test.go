package experiments

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/tfrun"
)

// flip changes two bytes in the middle of the file at path, keeping its
// size, and returns what it held.
func flip(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	changed := bytes.Clone(data)
	changed[len(changed)/2] ^= 0xff
	changed[len(changed)/2+1] ^= 0x01
	if err := os.WriteFile(path, changed, 0o644); err != nil {
		t.Fatal(err)
	}
	return data
}

// TestChangedStageFileIsCaught finishes data, zoo and pool, then changes
// bytes of the test pool's masks: with --no-recompute the run stops naming
// the file; without, the pool runs again and ends with the bytes it had;
// a stage that reads a changed upstream file it does not run is refused;
// runtime.verify=false checks sizes only.
func TestChangedStageFileIsCaught(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the zoo")
	}
	cfg := ciConfig(t, "zoo.epochs=1,2")
	out := t.TempDir()
	store := filepath.Join(out, "stages")
	pipe := func(noRecompute bool, stages ...results.StageName) (string, error) {
		var log bytes.Buffer
		err := Run(context.Background(), cfg, Env{
			Out: out, Stages: stages, Log: &log, NoRecompute: noRecompute,
			Session: tfrun.Options{Threads: 2, Device: "cpu"}, Render: testRender,
		})
		return log.String(), err
	}
	if log, err := pipe(false, "data", "zoo", "pool"); err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	keys := Keys(cfg, "")
	pool := &run.Stage{Name: "pool", Key: keys["pool"], Path: filepath.Join(store, "pool-"+keys["pool"])}
	masks := pool.File("test.bin")
	want := flip(t, masks)

	log, err := pipe(true, "data", "zoo", "pool")
	if !errors.Is(err, run.ErrCorrupt) || !strings.Contains(err.Error(), masks) || !strings.Contains(err.Error(), "stage pool") {
		t.Errorf("--no-recompute on a changed %s: %v\n%s", masks, err, log)
	}
	if got, _ := os.ReadFile(masks); bytes.Equal(got, want) {
		t.Error("--no-recompute ran the stage again")
	}

	log, err = pipe(false, "data", "zoo", "pool")
	if err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	for _, line := range []string{masks + ": content changed", "running stage pool again from scratch", "stage zoo: done before"} {
		if !strings.Contains(log, line) {
			t.Errorf("the run's log lacks %q:\n%s", line, log)
		}
	}
	if got, _ := os.ReadFile(masks); !bytes.Equal(got, want) {
		t.Error("the pool ran again but its test masks differ from the first run's")
	}
	if _, err := pool.Verify(true); err != nil {
		t.Errorf("after the rerun: %v", err)
	}

	// A stage is never run on a changed file of a stage it does not run.
	zoo := &run.Stage{Name: "zoo", Key: keys["zoo"], Path: filepath.Join(store, "zoo-"+keys["zoo"])}
	preds, _ := filepath.Glob(zoo.File("preds", "*.bin"))
	if len(preds) == 0 {
		t.Fatal("the zoo wrote no predictions")
	}
	flip(t, preds[0])
	if err := pool.Reset(); err != nil {
		t.Fatal(err)
	}
	log, err = pipe(false, "pool")
	if !errors.Is(err, run.ErrCorrupt) || !strings.Contains(err.Error(), preds[0]) {
		t.Errorf("pool alone on a changed %s: %v\n%s", preds[0], err, log)
	}
	if pool.Done() {
		t.Error("the pool ran on a changed zoo file")
	}

	// Sizes only: a changed byte goes unseen, a shorter file does not.
	cfg.Runtime.Verify = false
	if log, err := pipe(false, "zoo"); err != nil || !strings.Contains(log, "stage zoo: done before") {
		t.Errorf("runtime.verify=false: %v\n%s", err, log)
	}
	data, _ := os.ReadFile(preds[0])
	os.WriteFile(preds[0], data[:len(data)-1], 0o644)
	if log, err := pipe(true, "zoo"); !errors.Is(err, run.ErrCorrupt) || !strings.Contains(err.Error(), "bytes, recorded") {
		t.Errorf("runtime.verify=false, a shorter file: %v\n%s", err, log)
	}
}

// TestUnreadableOwnCheckpointRunsAgain resumes an unfinished REC-Net stage
// whose last checkpoint has changed bytes, which TensorFlow refuses to
// read: with --no-recompute the run stops saying what to do; without, the
// stage runs again from scratch and ends with the checkpoint it had.
func TestUnreadableOwnCheckpointRunsAgain(t *testing.T) {
	if testing.Short() {
		t.Skip("trains REC-Net twice")
	}
	cfg := ciConfig(t, "recnet.epochs=2")
	out := t.TempDir()
	pipe := func(noRecompute bool) (string, error) {
		var log bytes.Buffer
		err := Run(context.Background(), cfg, Env{
			Out: out, Stages: []results.StageName{results.StageData, results.StageRecNet}, Log: &log, NoRecompute: noRecompute,
			Session: tfrun.Options{Threads: 2, Device: "cpu"}, Render: testRender,
		})
		return log.String(), err
	}
	if log, err := pipe(false); err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	key := Keys(cfg, "")["recnet"]
	rec := &run.Stage{Name: "recnet", Key: key, Path: filepath.Join(out, "stages", "recnet-"+key)}
	ckpt := rec.File("train", "last", "ckpt.data-00000-of-00001")
	want, err := os.ReadFile(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(rec.File("DONE")) // as if killed after its last epoch
	flip(t, ckpt)

	log, err := pipe(true)
	if !errors.Is(err, tfrun.ErrCheckpoint) || !strings.Contains(err.Error(), rec.File("train", "last")) || !strings.Contains(err.Error(), "run without --no-recompute, or delete "+rec.Path) {
		t.Errorf("--no-recompute on an unreadable checkpoint: %v\n%s", err, log)
	}
	log, err = pipe(false)
	if err != nil || !strings.Contains(log, "stage recnet: its own checkpoint is unreadable; running it again from scratch") {
		t.Fatalf("%v\n%s", err, log)
	}
	if got, _ := os.ReadFile(ckpt); !bytes.Equal(got, want) {
		t.Error("REC-Net run again from scratch ended with another checkpoint")
	}
}
