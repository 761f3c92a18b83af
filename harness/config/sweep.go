package config

import (
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
// times the seeds) into sw.Cells and loads every cell's config, naming the
// bad one.
func ExpandSweep(sw *results.Sweep, environ []string) ([]Config, error) {
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
	var cfgs []Config
	for _, pt := range points {
		for _, seed := range seeds {
			var parts, sets []string
			sets = append(sets, sw.Sets...)
			for _, ax := range sw.Grid {
				parts = append(parts, ax.Key+"="+pt[ax.Key])
				linked, err := linkedSets(ax.Key, pt[ax.Key])
				if err != nil {
					return nil, err
				}
				sets = append(sets, linked...)
			}
			if len(sw.Seeds) > 0 {
				sets = append(sets, fmt.Sprintf("seed=%d", seed))
			}
			cfg, err := Load(sw.BaseConfig, environ, sets)
			if err != nil {
				return nil, fmt.Errorf("sweep cell %s: %w", strings.Join(parts, ","), err)
			}
			seed = cfg.Seed
			parts = append(parts, fmt.Sprintf("seed=%d", seed))
			name := strings.Join(parts, ",")
			sw.Cells = append(sw.Cells, results.Cell{Name: name, Settings: pt, Seed: seed, Dir: filepath.Join("cells", name)})
			cfgs = append(cfgs, cfg)
		}
	}
	return cfgs, nil
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
