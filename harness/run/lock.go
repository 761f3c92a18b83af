package run

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// Lock takes an exclusive lock on the stage, waiting while another process
// (a sweep cell running beside this one) holds it. It returns the unlock
// function. Locks are advisory flocks on STORE/NAME-KEY.lock, released by the
// kernel if the holder dies.
func (s *Stage) Lock() (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(s.Path), 0o755); err != nil {
		return nil, fmt.Errorf("lock stage %s: %w", s.Name, err)
	}
	f, err := os.OpenFile(s.Path+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock stage %s: %w", s.Name, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock stage %s: %w", s.Name, err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
