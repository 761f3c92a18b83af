package run

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

// ErrLocked is returned by TryLockFile while another holder has the lock.
var ErrLocked = errors.New("run: locked by another process")

// lockPoll is how often a waiting LockFile tries again.
const lockPoll = 200 * time.Millisecond

// Lock takes an exclusive lock on the stage, waiting while another process
// (a sweep cell running beside this one, here or on another node) holds it,
// until ctx is done. It returns the unlock function. The lock is on
// STORE/NAME-KEY.lock (see LockFile).
func (s *Stage) Lock(ctx context.Context) (unlock func(), err error) {
	unlock, err = LockFile(ctx, s.Path+".lock")
	if err != nil {
		return nil, fmt.Errorf("lock stage %s: %w", s.Name, err)
	}
	return unlock, nil
}

// Locked reports whether a process holds the stage's lock.
func (s *Stage) Locked() bool { return Locked(s.Path + ".lock") }

// LockFile takes an exclusive lock on path (created if missing, with its
// folder), trying again every lockPoll until it is free or ctx is done.
//
// The lock is an open file description lock (fcntl F_OFD_SETLK) on the
// whole file: a POSIX record lock, which NFSv3 (through lockd), NFSv4,
// Lustre mounted with -o flock and GPFS enforce across nodes, and which the
// kernel releases when its holder dies. Unlike a classic POSIX lock it
// belongs to the open file, not the process, so two goroutines of one
// process (sweep cells run with --jobs) exclude each other too, and closing
// another descriptor of the file does not drop it.
func LockFile(ctx context.Context, path string) (unlock func(), err error) {
	for {
		unlock, err := TryLockFile(path)
		if !errors.Is(err, ErrLocked) {
			return unlock, err
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("lock %s: %w", path, context.Cause(ctx))
		case <-time.After(lockPoll):
		}
	}
}

// TryLockFile takes the lock of LockFile without waiting; it fails with
// ErrLocked while another holder has it.
func TryLockFile(path string) (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: 0, Start: 0, Len: 0}
	if err := unix.FcntlFlock(f.Fd(), unix.F_OFD_SETLK, &lk); err != nil {
		f.Close()
		if errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EACCES) {
			return nil, fmt.Errorf("lock %s: %w", path, ErrLocked)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() {
		lk.Type = unix.F_UNLCK
		unix.FcntlFlock(f.Fd(), unix.F_OFD_SETLK, &lk)
		f.Close()
	}, nil
}

// Locked reports whether a holder has the lock of LockFile on path; a
// missing file is unlocked. It takes nothing.
func Locked(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	lk := unix.Flock_t{Type: unix.F_WRLCK}
	if err := unix.FcntlFlock(f.Fd(), unix.F_OFD_GETLK, &lk); err != nil {
		return false
	}
	return lk.Type != unix.F_UNLCK
}
