package experiments

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/segqa/segqa/harness/run"
)

// Stages write the files a reader wants (JSON, tables, figures) into their
// own results folder; publish copies them into the run's results folder, so
// a run whose stages were finished by another run (a sweep sharing a store)
// still shows every result.
func (p *pipeline) publish(name string, st *run.Stage) error {
	if err := p.copyTree(st.File("results"), p.results()); err != nil {
		return err
	}
	return p.copyTree(st.File(tensorboardDir), filepath.Join(p.env.Out, tensorboardDir))
}

// copyTree copies the files under src to dst, each atomically.
func (p *pipeline) copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if os.IsNotExist(err) && path == src {
			return nil
		}
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		return run.WriteAtomic(filepath.Join(dst, rel), func(w io.Writer) error {
			_, err := io.Copy(w, in)
			return err
		})
	})
}
