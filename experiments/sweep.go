package experiments

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/viper"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/tfrun"
)

// Axis is one dimension of a sweep's grid: a config key and its values.
type Axis struct {
	Key    string   `json:"key"`
	Values []string `json:"values"`
}

// Cell is one run of a sweep: a point of the grid and a seed.
type Cell struct {
	Name     string            `json:"name"`
	Settings map[string]string `json:"settings"`
	Seed     uint64            `json:"seed"`
	Dir      string            `json:"dir"` // relative to the sweep directory
}

// Sweep is a grid of settings over a base config, each run with every seed;
// it is what sweep.json records.
type Sweep struct {
	BaseConfig string   `json:"base_config"`
	Sets       []string `json:"sets,omitempty"`
	Grid       []Axis   `json:"grid"`
	Seeds      []uint64 `json:"seeds"`
	Cells      []Cell   `json:"cells"`
}

// ParseAxis reads "key=v1,v2,...".
func ParseAxis(s string) (Axis, error) {
	key, vals, ok := strings.Cut(s, "=")
	if !ok || key == "" || vals == "" {
		return Axis{}, fmt.Errorf("--grid %q: want key=v1,v2,...", s)
	}
	return Axis{Key: strings.TrimSpace(key), Values: strings.Split(vals, ",")}, nil
}

// ParseSeeds reads "1,2,3".
func ParseSeeds(s string) ([]uint64, error) {
	var out []uint64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("--seeds %q: %w", s, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// ReadSweepFile reads a sweep YAML: config (the base config, relative to the
// sweep file), set (overrides), grid (key: [values]) and seeds.
func ReadSweepFile(path string) (Sweep, error) {
	// Grid keys are dotted config keys, kept whole.
	v := viper.NewWithOptions(viper.KeyDelimiter("::"))
	v.SetConfigFile(path)
	v.SetConfigType("yaml")
	if err := v.ReadInConfig(); err != nil {
		return Sweep{}, fmt.Errorf("sweep %s: %w", path, err)
	}
	var raw struct {
		Config string           `mapstructure:"config"`
		Set    map[string]any   `mapstructure:"set"`
		Grid   map[string][]any `mapstructure:"grid"`
		Seeds  []uint64         `mapstructure:"seeds"`
	}
	if err := v.UnmarshalExact(&raw); err != nil {
		return Sweep{}, fmt.Errorf("sweep %s: %w", path, err)
	}
	sw := Sweep{BaseConfig: raw.Config, Seeds: raw.Seeds}
	if sw.BaseConfig != "" && !filepath.IsAbs(sw.BaseConfig) {
		sw.BaseConfig = filepath.Join(filepath.Dir(path), sw.BaseConfig)
	}
	for k, val := range raw.Set {
		if list, ok := val.([]any); ok {
			parts := make([]string, len(list))
			for i, x := range list {
				parts[i] = fmt.Sprint(x)
			}
			val = strings.Join(parts, ",")
		}
		sw.Sets = append(sw.Sets, fmt.Sprintf("%s=%v", k, val))
	}
	sort.Strings(sw.Sets)
	keys := make([]string, 0, len(raw.Grid))
	for k := range raw.Grid {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ax := Axis{Key: k}
		for _, v := range raw.Grid[k] {
			ax.Values = append(ax.Values, fmt.Sprint(v))
		}
		sw.Grid = append(sw.Grid, ax)
	}
	return sw, nil
}

// Expand lists the cells of the sweep (the Cartesian product of the grid,
// times the seeds) and checks every cell's config, naming the bad one.
func (sw *Sweep) Expand(environ []string) ([]config.Config, error) {
	seeds := sw.Seeds
	if len(seeds) == 0 {
		seeds = []uint64{0} // 0: the base config's own seed
	}
	points := []map[string]string{{}}
	for _, ax := range sw.Grid {
		if len(ax.Values) == 0 {
			return nil, fmt.Errorf("grid %s has no values", ax.Key)
		}
		var next []map[string]string
		for _, pt := range points {
			for _, val := range ax.Values {
				np := map[string]string{ax.Key: val}
				for k, v := range pt {
					np[k] = v
				}
				next = append(next, np)
			}
		}
		points = next
	}
	sw.Cells = nil
	var cfgs []config.Config
	for _, pt := range points {
		for _, seed := range seeds {
			var parts, sets []string
			sets = append(sets, sw.Sets...)
			for _, ax := range sw.Grid {
				parts = append(parts, ax.Key+"="+pt[ax.Key])
				sets = append(sets, ax.Key+"="+pt[ax.Key])
			}
			if len(sw.Seeds) > 0 {
				sets = append(sets, fmt.Sprintf("seed=%d", seed))
			}
			cfg, err := config.Load(sw.BaseConfig, environ, sets)
			if err != nil {
				return nil, fmt.Errorf("sweep cell %s: %w", strings.Join(parts, ","), err)
			}
			seed = cfg.Seed
			parts = append(parts, fmt.Sprintf("seed=%d", seed))
			name := strings.Join(parts, ",")
			sw.Cells = append(sw.Cells, Cell{Name: name, Settings: pt, Seed: seed, Dir: filepath.Join("cells", name)})
			cfgs = append(cfgs, cfg)
		}
	}
	return cfgs, nil
}

// RunSweep runs every cell of sw under dir with a shared stage store, jobs
// cells at a time, each with its share of the cores. Finished stages of any
// cell are reused by every other cell with the same upstream settings, and a
// killed sweep started again resumes.
func RunSweep(ctx context.Context, sw Sweep, cfgs []config.Config, dir string, jobs int, stdout, log io.Writer) error {
	if err := run.WriteJSON(filepath.Join(dir, "sweep.json"), sw); err != nil {
		return err
	}
	jobs = max(1, min(jobs, len(cfgs)))
	threads := max(1, runtime.NumCPU()/jobs)
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
		sem  = make(chan struct{}, jobs)
	)
	for i, cfg := range cfgs {
		cell := sw.Cells[i]
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			err := runCell(ctx, cfg, cell, dir, threads, jobs, stdout, log, &mu)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("sweep cell %s: %w", cell.Name, err))
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func runCell(ctx context.Context, cfg config.Config, cell Cell, dir string, threads, jobs int, stdout, log io.Writer, mu *sync.Mutex) error {
	out := filepath.Join(dir, cell.Dir)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	cellLog, cellOut := log, stdout
	if jobs > 1 {
		f, err := os.OpenFile(filepath.Join(out, "log.txt"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		cellLog, cellOut = f, f
		cfg.Runtime.Progress = false
	}
	mu.Lock()
	fmt.Fprintf(log, "sweep: cell %s starting (%d threads)\n", cell.Name, threads)
	mu.Unlock()
	start := time.Now()
	opts := tfrun.Options{Threads: threads, Device: cfg.Runtime.Device}
	devs, err := tfrun.Devices(opts)
	if err != nil {
		return err
	}
	man := run.NewManifest(filepath.Join(out, "manifest.json"), tfrun.Version(), cfg.Seed, threads, cfg.Runtime.Device, devs)
	err = Run(ctx, cfg, Env{Out: out, Store: filepath.Join(dir, "store"), Stdout: cellOut, Log: cellLog, Session: opts, Manifest: man})
	mu.Lock()
	fmt.Fprintf(log, "sweep: cell %s finished in %s\n", cell.Name, time.Since(start).Round(time.Second))
	mu.Unlock()
	return err
}
