package config

import (
	"cmp"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/viper"

	"github.com/segqa/segqa/harness/shared/results"
)

// ParseAxis reads "key=v1,v2,...".
func ParseAxis(s string) (results.Axis, error) {
	key, vals, ok := strings.Cut(s, "=")
	if !ok || key == "" || vals == "" {
		return results.Axis{}, fmt.Errorf("--grid %q: want key=v1,v2,...", s)
	}
	return results.Axis{Key: strings.TrimSpace(key), Values: strings.Split(vals, ",")}, nil
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
// sweep file), set (overrides), grid (key: [values]) and seeds. A grid key
// may link several config keys with "+" ("data.size+data.spacing_mm":
// ["64+3", "128+1.5"]): each value then sets all of them together, so that
// one axis can change two settings that only make sense in pairs.
func ReadSweepFile(path string) (results.Sweep, error) {
	// Grid keys are dotted config keys, kept whole.
	v := viper.NewWithOptions(viper.KeyDelimiter("::"))
	v.SetConfigFile(path)
	v.SetConfigType("yaml")
	if err := v.ReadInConfig(); err != nil {
		return results.Sweep{}, fmt.Errorf("sweep %s: %w", path, err)
	}
	var raw struct {
		Config string           `mapstructure:"config"`
		Set    map[string]any   `mapstructure:"set"`
		Grid   map[string][]any `mapstructure:"grid"`
		Seeds  []uint64         `mapstructure:"seeds"`
	}
	if err := v.UnmarshalExact(&raw); err != nil {
		return results.Sweep{}, fmt.Errorf("sweep %s: %w", path, err)
	}
	sw := results.Sweep{BaseConfig: raw.Config, Seeds: raw.Seeds}
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
		ax := results.Axis{Key: k}
		for _, v := range raw.Grid[k] {
			ax.Values = append(ax.Values, fmt.Sprint(v))
		}
		sw.Grid = append(sw.Grid, ax)
	}
	return sw, nil
}

// ExpandSweep lists the cells of sw (the Cartesian product of the grid,
// times the seeds) into sw.Cells and loads every cell's config; a cell
// whose settings are invalid refuses the whole sweep, naming the cell.
func ExpandSweep(sw *results.Sweep, environ []string) ([]Config, error) {
	cfgs, invalid, err := ExpandSweepCells(sw, environ)
	if err != nil {
		return nil, err
	}
	for i, err := range invalid {
		if err != nil {
			return nil, fmt.Errorf("sweep cell %s: %w", sw.Cells[i].Name, err)
		}
	}
	return cfgs, nil
}

// ExpandSweepCells lists the cells of sw (the Cartesian product of the
// grid, times the seeds) into sw.Cells and loads every cell's config. A
// cell whose settings are invalid (an unknown key, a value of the wrong
// type or out of range, a linked value without one part per key) is
// listed as well, with a zero config and why in invalid[i], so that the
// other cells can run without it; invalid is nil when every cell is
// valid. err is a sweep that has no cells to list (an axis without
// values).
func ExpandSweepCells(sw *results.Sweep, environ []string) (cfgs []Config, invalid []error, err error) {
	seeds := sw.Seeds
	if len(seeds) == 0 {
		seeds = []uint64{0} // 0: the base config's own seed
	}
	points := []map[string]string{{}}
	for _, ax := range sw.Grid {
		if len(ax.Values) == 0 {
			return nil, nil, fmt.Errorf("grid %s has no values", ax.Key)
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
	var errs []error
	anyInvalid := false
	for _, pt := range points {
		for _, seed := range seeds {
			var parts, sets []string
			sets = append(sets, sw.Sets...)
			var err error
			for _, ax := range sw.Grid {
				parts = append(parts, ax.Key+"="+pt[ax.Key])
				linked, lerr := linkedSets(ax.Key, pt[ax.Key])
				err = cmp.Or(err, lerr)
				sets = append(sets, linked...)
			}
			if len(sw.Seeds) > 0 {
				sets = append(sets, fmt.Sprintf("seed=%d", seed))
			}
			var cfg Config
			if err == nil {
				cfg, err = Load(sw.BaseConfig, environ, sets)
			}
			if err == nil {
				seed = cfg.Seed
			} else if len(sw.Seeds) == 0 {
				seed = invalidCellSeed(sw.BaseConfig, environ, sets, sw.Sets)
			}
			parts = append(parts, fmt.Sprintf("seed=%d", seed))
			name := strings.Join(parts, ",")
			sw.Cells = append(sw.Cells, results.Cell{Name: name, Settings: pt, Seed: seed, Dir: filepath.Join("cells", name)})
			cfgs = append(cfgs, cfg)
			errs = append(errs, err)
			anyInvalid = anyInvalid || err != nil
		}
	}
	if anyInvalid {
		invalid = errs
	}
	return cfgs, invalid, nil
}

// invalidCellSeed is the seed of a cell whose settings (sets over the
// base config) are invalid and that the sweep gives no seed: the seed its
// settings give when they can be read at all, else the seed of the base
// config with the sweep's overrides (sweepSets), else the default's.
func invalidCellSeed(base string, environ, sets, sweepSets []string) uint64 {
	if cfg, err := decode(base, environ, sets); err == nil {
		return cfg.Seed
	}
	if cfg, err := decode(base, environ, sweepSets); err == nil {
		return cfg.Seed
	}
	return Default().Seed
}

// linkedSets turns one grid point of an axis into --set overrides: "k=v"
// for a plain key, one override per key for linked keys ("a+b" = "1+2").
func linkedSets(key, val string) ([]string, error) {
	keys := strings.Split(key, "+")
	if len(keys) == 1 {
		return []string{key + "=" + val}, nil
	}
	vals := strings.Split(val, "+")
	if len(vals) != len(keys) {
		return nil, fmt.Errorf("grid %s: value %q has %d parts, want one per key (%d)", key, val, len(vals), len(keys))
	}
	sets := make([]string, len(keys))
	for i, k := range keys {
		sets[i] = strings.TrimSpace(k) + "=" + strings.TrimSpace(vals[i])
	}
	return sets, nil
}
