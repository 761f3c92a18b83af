package run

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// raceEnv names the store in which TestLockRaceHelper, run as a child
// process, races for a stage.
const raceEnv = "SEGQA_TEST_LOCK_RACE"

// TestLockRaceHelper is the child of TestTwoProcessesRaceForOneStage: it
// does what the pipeline does with a stage, lock it, and run it unless it
// is done, and says which it did on stdout.
func TestLockRaceHelper(t *testing.T) {
	store := os.Getenv(raceEnv)
	if store == "" {
		t.Skip("a child process of TestTwoProcessesRaceForOneStage")
	}
	st := NewStage(store, "zoo", 1)
	unlock, err := st.Lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	if st.Done() {
		fmt.Println("RACE reused")
		return
	}
	// Run the stage slowly enough that the other process waits for it.
	if err := WriteFile(st.File(fmt.Sprintf("ran-by-%d", os.Getpid())), nil); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	if err := st.Finish(time.Second); err != nil {
		t.Fatal(err)
	}
	fmt.Println("RACE ran")
}

// TestTwoProcessesRaceForOneStage starts two processes at once that both
// want one stage: exactly one runs it and the other reuses it.
func TestTwoProcessesRaceForOneStage(t *testing.T) {
	store := t.TempDir()
	var cmds []*exec.Cmd
	var outs []*strings.Builder
	for range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLockRaceHelper$", "-test.v")
		cmd.Env = append(os.Environ(), raceEnv+"="+store)
		out := &strings.Builder{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, out)
	}
	said := map[string]int{}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child %d: %v\n%s", i, err, outs[i])
		}
		for _, what := range []string{"RACE ran", "RACE reused"} {
			if strings.Contains(outs[i].String(), what) {
				said[what]++
			}
		}
	}
	if said["RACE ran"] != 1 || said["RACE reused"] != 1 {
		t.Errorf("of two processes %d ran the stage and %d reused it, want 1 and 1:\n%s\n%s", said["RACE ran"], said["RACE reused"], outs[0], outs[1])
	}
	ran, _ := filepath.Glob(filepath.Join(NewStage(store, "zoo", 1).Path, "ran-by-*"))
	if len(ran) != 1 {
		t.Errorf("the stage ran %d times: %v", len(ran), ran)
	}
}

func TestLockFileWaitsAndGivesUp(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "x.lock")
	if Locked(path) {
		t.Error("a missing lock file is locked")
	}
	unlock, err := LockFile(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if !Locked(path) {
		t.Error("Locked is false while the lock is held")
	}
	// Another open file description of this process is shut out too: sweep
	// cells run side by side in one process.
	if _, err := TryLockFile(path); !errors.Is(err, ErrLocked) {
		t.Errorf("a second open of a held lock: %v, want ErrLocked", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := LockFile(ctx, path); !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), path) {
		t.Errorf("waiting past the deadline: %v, want a deadline error naming %s", err, path)
	}
	unlock()
	if Locked(path) {
		t.Error("locked after unlock")
	}
	u, err := TryLockFile(path)
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	u()
}
