package config

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/viper"
)

// Launcher says where the cells of a sweep run: `segqa sweep --launcher
// slurm` submits them to Slurm with the settings under launcher.slurm.
//
// Launcher settings live in a file of their own (`--launcher-config FILE`,
// YAML with a top-level launcher: section), overridden by `--set
// launcher.slurm.KEY=VALUE`, and never in a run config or sweep file: those
// say what is computed and are recorded with the results, while the
// launcher says where it runs, so one sweep file runs unchanged on any
// cluster and one cluster's file serves every sweep. There are no SEGQA_*
// environment variables for them.
type Launcher struct {
	Slurm Slurm `mapstructure:"slurm" json:"slurm"`
}

// Slurm is how each cell of a sweep is submitted to Slurm: one task of a
// job array per cell, plus a report job that runs when they succeed.
type Slurm struct {
	Partition string `mapstructure:"partition" json:"partition"` // sbatch --partition; empty: the cluster's default
	Account   string `mapstructure:"account" json:"account"`     // sbatch --account; empty: the user's default
	// Time is each task's time limit in Slurm's format (minutes, M:S,
	// H:M:S, D-H, D-H:M or D-H:M:S); empty: the partition's default.
	Time string `mapstructure:"time" json:"time"`
	// Mem is each task's memory (sbatch --mem): a number of megabytes or
	// a number with K, M, G or T; empty: the partition's default.
	Mem         string `mapstructure:"mem" json:"mem"`
	CPUsPerTask int    `mapstructure:"cpus_per_task" json:"cpus_per_task"` // TensorFlow threads of each cell
	// GPUs per task: sbatch --gres=gpu:N, and the cells run with
	// runtime.device gpu; 0: none.
	GPUs int `mapstructure:"gpus" json:"gpus"`
	// MaxParallel caps how many cells run at once (--array=...%N); 0: no
	// cap beyond the cluster's.
	MaxParallel int `mapstructure:"max_parallel" json:"max_parallel"`
	// ExtraSbatch lists further sbatch options, one per entry, written
	// into both batch scripts as #SBATCH lines (e.g. --qos=long,
	// --constraint=avx512, --mail-type=END).
	ExtraSbatch []string `mapstructure:"extra_sbatch" json:"extra_sbatch"`
}

// Launchers lists the values of --launcher.
var Launchers = []string{"local", "slurm"}

// LauncherPrefix starts every launcher key; --set keys with it configure
// the launcher, not the cells.
const LauncherPrefix = "launcher."

// DefaultLauncher asks Slurm for 4 CPUs per cell and leaves everything
// else to the cluster's defaults.
func DefaultLauncher() Launcher {
	return Launcher{Slurm: Slurm{CPUsPerTask: 4, ExtraSbatch: []string{}}}
}

// launcherFile is the shape of a launcher file.
type launcherFile struct {
	Launcher Launcher `mapstructure:"launcher" json:"launcher"`
}

// LoadLauncher reads the launcher file at path (none when path is empty),
// then the launcher.* key=value overrides in sets, over DefaultLauncher,
// and validates the result. Unknown keys, values of the wrong type and
// out-of-range values are errors naming the key.
func LoadLauncher(path string, sets []string) (Launcher, error) {
	v := viper.New()
	keys := defaultKeys(v, launcherFile{Launcher: DefaultLauncher()})
	where := "launcher settings"
	if path != "" {
		where = "launcher config " + path
		v.SetConfigFile(path)
		v.SetConfigType("yaml")
		if err := v.ReadInConfig(); err != nil {
			return Launcher{}, fmt.Errorf("%s: %w", where, err)
		}
		var unknown []string
		for _, k := range v.AllKeys() {
			if _, ok := keys[k]; !ok {
				unknown = append(unknown, k)
			}
		}
		if len(unknown) > 0 {
			sort.Strings(unknown)
			return Launcher{}, fmt.Errorf("%s: %w: %s (known keys: %s)", where, ErrUnknownKey, strings.Join(unknown, ", "), knownKeys(keys))
		}
	}
	for _, kv := range sets {
		key, val, ok := strings.Cut(kv, "=")
		key = strings.ToLower(strings.TrimSpace(key))
		if !ok || key == "" {
			return Launcher{}, fmt.Errorf("--set %q: want key=value", kv)
		}
		isList, known := keys[key]
		if !known {
			return Launcher{}, fmt.Errorf("--set %s: %w (known keys: %s)", key, ErrUnknownKey, knownKeys(keys))
		}
		v.Set(key, listValue(val, isList))
	}
	var f launcherFile
	if err := v.UnmarshalExact(&f, decodeHook); err != nil {
		return Launcher{}, fmt.Errorf("%s: %w", where, err)
	}
	if f.Launcher.Slurm.ExtraSbatch == nil {
		f.Launcher.Slurm.ExtraSbatch = []string{}
	}
	if err := f.Launcher.Validate(); err != nil {
		return Launcher{}, fmt.Errorf("%s: %w", where, err)
	}
	return f.Launcher, nil
}

// knownKeys lists the launcher keys, e.g. "launcher.slurm: account, gpus".
func knownKeys(keys map[string]bool) string {
	byGroup := map[string][]string{}
	for k := range keys {
		i := strings.LastIndex(k, ".")
		byGroup[k[:i]] = append(byGroup[k[:i]], k[i+1:])
	}
	var groups []string
	for g, leaves := range byGroup {
		slices.Sort(leaves)
		groups = append(groups, g+": "+strings.Join(leaves, ", "))
	}
	slices.Sort(groups)
	return strings.Join(groups, "; ")
}

// Validate explains every out-of-range launcher value, one line per key.
func (l Launcher) Validate() error {
	var p problems
	s := l.Slurm
	const pre = "launcher.slurm."
	if !slurmName.MatchString(s.Partition) {
		p.add(pre+"partition", "must be a Slurm partition name (letters, digits and _ . , + -), got %q", s.Partition)
	}
	if !slurmName.MatchString(s.Account) {
		p.add(pre+"account", "must be a Slurm account name (letters, digits and _ . , + -), got %q", s.Account)
	}
	if s.Time != "" {
		if _, err := SlurmMinutes(s.Time); err != nil {
			p.add(pre+"time", "%v", err)
		}
	}
	if s.Mem != "" && !slurmMem.MatchString(s.Mem) {
		p.add(pre+"mem", "must be megabytes or a number with K, M, G or T (e.g. 4000 or 16G), got %q", s.Mem)
	}
	if s.CPUsPerTask < 1 || s.CPUsPerTask > 1024 {
		p.add(pre+"cpus_per_task", "must be 1 to 1024, got %d", s.CPUsPerTask)
	}
	if s.GPUs < 0 || s.GPUs > 64 {
		p.add(pre+"gpus", "must be 0 (none) to 64, got %d", s.GPUs)
	}
	if s.MaxParallel < 0 {
		p.add(pre+"max_parallel", "must be 0 (no cap) or positive, got %d", s.MaxParallel)
	}
	for _, opt := range s.ExtraSbatch {
		if msg := checkSbatchOption(opt); msg != "" {
			p.add(pre+"extra_sbatch", "%q: %s", opt, msg)
		}
	}
	if len(p) > 0 {
		return fmt.Errorf("%w:\n  %s", ErrInvalid, strings.Join(p, "\n  "))
	}
	return nil
}

var (
	slurmName = regexp.MustCompile(`^[A-Za-z0-9_.,+-]*$`)
	slurmMem  = regexp.MustCompile(`^[0-9]+[KMGT]?$`)
)

// ownedSbatch maps the sbatch options that segqa writes itself to what
// sets them instead.
var ownedSbatch = map[string]string{
	"--array": "segqa submits one task per unfinished cell", "-a": "segqa submits one task per unfinished cell",
	"--dependency": "segqa makes the report job depend on the cells", "-d": "segqa makes the report job depend on the cells",
	"--output": "segqa writes logs to SWEEP/slurm/logs", "-o": "segqa writes logs to SWEEP/slurm/logs",
	"--error": "segqa writes logs to SWEEP/slurm/logs", "-e": "segqa writes logs to SWEEP/slurm/logs",
	"--job-name": "segqa names the jobs after the sweep", "-J": "segqa names the jobs after the sweep",
	"--chdir": "the tasks start where segqa sweep was run", "-D": "the tasks start where segqa sweep was run",
	"--parsable":  "segqa reads sbatch's answer itself",
	"--wrap":      "segqa writes the batch scripts",
	"--partition": "use launcher.slurm.partition", "-p": "use launcher.slurm.partition",
	"--account": "use launcher.slurm.account", "-A": "use launcher.slurm.account",
	"--time": "use launcher.slurm.time", "-t": "use launcher.slurm.time",
	"--mem":           "use launcher.slurm.mem",
	"--cpus-per-task": "use launcher.slurm.cpus_per_task", "-c": "use launcher.slurm.cpus_per_task",
	"--gres": "use launcher.slurm.gpus", "--gpus": "use launcher.slurm.gpus", "-G": "use launcher.slurm.gpus",
}

// checkSbatchOption says what is wrong with one extra sbatch option, or "".
func checkSbatchOption(opt string) string {
	if strings.HasPrefix(opt, "#SBATCH") {
		return "write the option alone (segqa adds #SBATCH), e.g. --qos=long"
	}
	if !strings.HasPrefix(opt, "-") || strings.TrimLeft(opt, "-") == "" {
		return "must be an sbatch option starting with -, e.g. --qos=long"
	}
	if strings.ContainsFunc(opt, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return "must be one line without control characters"
	}
	flag, _, _ := strings.Cut(opt, "=")
	flag, _, _ = strings.Cut(flag, " ")
	if len(flag) > 2 && flag[1] != '-' {
		flag = flag[:2] // -pshort, -c4
	}
	if why, ok := ownedSbatch[flag]; ok {
		return "not allowed here: " + why
	}
	return ""
}

// SlurmMinutes parses a Slurm time limit (minutes, M:S, H:M:S, D-H, D-H:M
// or D-H:M:S) into whole minutes, rounding seconds up as Slurm does.
func SlurmMinutes(s string) (int, error) {
	bad := fmt.Errorf("must be a Slurm time limit (minutes, M:S, H:M:S, D-H, D-H:M or D-H:M:S, e.g. 2:00:00 or 1-12), got %q", s)
	days, rest, hasDays := strings.Cut(s, "-")
	if !hasDays {
		rest, days = days, ""
	}
	parts := strings.Split(rest, ":")
	var nums []int
	for _, f := range append([]string{days}, parts...) {
		if f == "" && len(nums) == 0 && !hasDays {
			nums = append(nums, 0) // no days
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || len(f) > 6 || strings.Trim(f, "0123456789") != "" {
			return 0, bad
		}
		nums = append(nums, n)
	}
	d, f := nums[0], nums[1:]
	var secs int
	switch {
	case !hasDays && len(f) == 1: // minutes
		secs = f[0] * 60
	case !hasDays && len(f) == 2: // minutes:seconds
		secs = f[0]*60 + f[1]
	case !hasDays && len(f) == 3: // hours:minutes:seconds
		secs = f[0]*3600 + f[1]*60 + f[2]
	case hasDays && len(f) <= 3: // days-hours[:minutes[:seconds]]
		secs = d * 86400
		for i, unit := range []int{3600, 60, 1}[:len(f)] {
			secs += f[i] * unit
		}
	default:
		return 0, bad
	}
	if secs <= 0 {
		return 0, fmt.Errorf("must be a positive Slurm time limit, got %q", s)
	}
	return (secs + 59) / 60, nil
}
