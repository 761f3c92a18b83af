package experiments

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/tfrun"
)

// notCovered lists the settings each stage may read without its key
// covering them, with the reason; nothing else may be.
var notCovered = map[results.StageName][]string{
	// Each input kind trains in its own folder of the REG-Net stage; a run
	// asking for one the stage lacks reopens it (regnetComplete).
	results.StageRegNet: {"RegNet.Inputs"},
	// They use the REG-Nets the stage holds (regNets.trained); their handle
	// carries no regnet.inputs (see netsOf).
	results.StageTable2:  {"RegNet.Inputs"},
	results.StageCertify: {"RegNet.Inputs"},
}

// leaf is one setting of a config: its path and how to change it.
type leaf struct {
	path   string
	change func(c *config.Config)
}

// leaves lists every setting of a config that holds one value (a number, a
// string, a bool, or an element of a list), each with a change of it.
func leaves(base config.Config) []leaf {
	var out []leaf
	var walk func(path []int, name string, t reflect.Type)
	walk = func(path []int, name string, t reflect.Type) {
		switch t.Kind() {
		case reflect.Struct:
			for i := range t.NumField() {
				f := t.Field(i)
				if !f.IsExported() {
					continue
				}
				n := f.Name
				if name != "" {
					n = name + "." + f.Name
				}
				walk(append(slices.Clone(path), i), n, f.Type)
			}
		default:
			p := slices.Clone(path)
			out = append(out, leaf{path: name, change: func(c *config.Config) { changeValue(reflect.ValueOf(c).Elem().FieldByIndex(p)) }})
		}
	}
	walk(nil, "", reflect.TypeOf(base))
	return out
}

// changeValue changes v, or the first element of a list (appending one to
// an empty list).
func changeValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Uint64:
		v.SetUint(v.Uint() + 1)
	case reflect.Float64:
		v.SetFloat(v.Float() + 0.125)
	case reflect.String:
		v.SetString(v.String() + "-changed")
	case reflect.Slice:
		if v.Len() == 0 {
			v.Set(reflect.Append(v, reflect.Zero(v.Type().Elem())))
		}
		v.Set(reflect.AppendSlice(reflect.MakeSlice(v.Type(), 0, v.Len()), v))
		changeValue(v.Index(0))
	default:
		panic("changeValue: " + v.Kind().String())
	}
}

// seen is what a stage reads of c: its own settings, and those of the
// stages whose outputs it reads, which it sees through their typed results.
func seen(defs []stageDef, s stageDef, c config.Config) []any {
	out := []any{s.settings(c, "fp")}
	for _, up := range s.reads(c) {
		for _, u := range defs {
			if u.name == up {
				out = append(out, u.settings(c, "fp"))
			}
		}
	}
	return out
}

// uncovered lists, for defs, each setting of base that changes what a
// stage reads (its settings, or an upstream stage's it reads) but not its
// key, outside notCovered.
func uncovered(defs []stageDef, base config.Config, keys func(config.Config) map[results.StageName]string) []string {
	var out []string
	k0 := keys(base)
	for _, l := range leaves(base) {
		c := base
		c = cloneConfig(c)
		l.change(&c)
		k := keys(c)
		for _, s := range defs {
			if reflect.DeepEqual(seen(defs, s, base), seen(defs, s, c)) || k[s.name] != k0[s.name] {
				continue
			}
			if slices.Contains(notCovered[s.name], l.path) {
				continue
			}
			out = append(out, fmt.Sprintf("stage %s reads %s, which its key does not cover", s.name, l.path))
		}
	}
	return out
}

// cloneConfig copies c's lists, so that changing the copy leaves c alone.
func cloneConfig(c config.Config) config.Config {
	var deep func(v reflect.Value)
	deep = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					deep(v.Field(i))
				}
			}
		case reflect.Slice:
			if !v.IsNil() {
				v.Set(reflect.AppendSlice(reflect.MakeSlice(v.Type(), 0, v.Len()), v))
			}
		}
	}
	v := reflect.ValueOf(&c).Elem()
	deep(v)
	return c
}

// TestStagesReadOnlyWhatTheirKeysCover changes every setting of a config
// one at a time: whenever what a stage reads changes, its key must change,
// so that a finished stage is never reused with settings it did not run
// with. The agreement baseline and certify are on, so that the tables and
// certify read their settings.
func TestStagesReadOnlyWhatTheirKeysCover(t *testing.T) {
	base := ciConfig(t, "eval.agreement_members=2", "certify.enabled=true", "recnet.train_on=gt+zoo")
	keys := func(c config.Config) map[results.StageName]string { return Keys(c, "fp") }
	for _, u := range uncovered(stageDefs, base, keys) {
		t.Error(u)
	}
	if n := len(leaves(base)); n < 60 {
		t.Errorf("%d settings changed; the walk misses some", n)
	}
}

// TestUncoveredSettingIsCaught: a stage whose settings carry a setting its
// key leaves out (here the zoo reading pool.bins) is reported.
func TestUncoveredSettingIsCaught(t *testing.T) {
	type leaky struct {
		zooSettings
		Bins int
	}
	defs := slices.Clone(stageDefs)
	for i, s := range defs {
		if s.name == results.StageZoo {
			defs[i] = bind(results.StageZoo, s.reads, s.keyOn,
				func(c config.Config, fp string) leaky { return leaky{zooOf(c, fp), c.Pool.Bins} },
				func(_ context.Context, _ *worker, _ leaky, _ *upstream) error { return nil })
		}
	}
	base := ciConfig(t)
	keys := func(c config.Config) map[results.StageName]string { return Keys(c, "fp") }
	got := uncovered(defs, base, keys)
	if !slices.Contains(got, "stage zoo reads Pool.Bins, which its key does not cover") {
		t.Errorf("a zoo reading pool.bins went unreported: %q", got)
	}
}

// TestUpstreamHoldsNoConfig: the upstream results a stage reads, and the
// network handles they open, carry no config, so that a stage can reach
// no setting but through its settings struct (newUpstream takes none: the
// compiler enforces the rest).
func TestUpstreamHoldsNoConfig(t *testing.T) {
	cfgType := reflect.TypeOf(config.Config{})
	seenTypes := map[reflect.Type]bool{}
	var walk func(path string, ty reflect.Type)
	walk = func(path string, ty reflect.Type) {
		if ty == cfgType {
			t.Errorf("%s is the config", path)
			return
		}
		if seenTypes[ty] {
			return
		}
		seenTypes[ty] = true
		switch ty.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map:
			walk(path+"[]", ty.Elem())
		case reflect.Struct:
			for i := range ty.NumField() {
				walk(path+"."+ty.Field(i).Name, ty.Field(i).Type)
			}
		}
	}
	for _, v := range []any{upstream{}, regNets{}, recNet{}, agreementMembers{}, zooOutput{}} {
		walk(reflect.TypeOf(v).Name(), reflect.TypeOf(v))
	}
}

// TestStageIgnoresWhatItsKeyLeavesOut runs the pool stage, which reads the
// zoo through its upstream, twice on the same data and zoo stages: with
// the ci config and with one whose every change is outside the pool's key.
// It must reuse the same folder name and write the same pools.
func TestStageIgnoresWhatItsKeyLeavesOut(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the zoo")
	}
	base := ciConfig(t)
	changed := ciConfig(t, "eval.fail_below=0.61", "regnet.epochs=3", "recnet.filters=6", "eval.agreement_members=1")
	k0, k1 := Keys(base, ""), Keys(changed, "")
	if k0[results.StagePool] != k1[results.StagePool] || k0[results.StageRegNet] == k1[results.StageRegNet] {
		t.Fatalf("the change moves the pool's key (%s, %s) or leaves the REG-Nets' (%s)", k0[results.StagePool], k1[results.StagePool], k1[results.StageRegNet])
	}
	storeA, storeB := t.TempDir(), t.TempDir()
	if _, lg, err := runPipeline(t, base, t.TempDir(), storeA, results.StageData, results.StageZoo, results.StagePool); err != nil {
		t.Fatalf("%v\n%s", err, lg)
	}
	for _, s := range []results.StageName{results.StageData, results.StageZoo} {
		dir := filepath.Base(run.NewStageAt(storeA, string(s), k0[s]).Path)
		if err := os.CopyFS(filepath.Join(storeB, dir), os.DirFS(filepath.Join(storeA, dir))); err != nil {
			t.Fatal(err)
		}
	}
	if _, lg, err := runPipeline(t, changed, t.TempDir(), storeB, results.StagePool); err != nil {
		t.Fatalf("%v\n%s", err, lg)
	}
	a, b := run.NewStageAt(storeA, string(results.StagePool), k0[results.StagePool]), run.NewStageAt(storeB, string(results.StagePool), k1[results.StagePool])
	for _, name := range []string{"train.bin", "val.bin", "test.bin", filepath.Join("results", "pool.json")} {
		x, errA := os.ReadFile(a.File(name))
		y, errB := os.ReadFile(b.File(name))
		if errA != nil || errB != nil || !bytes.Equal(x, y) {
			t.Errorf("pool %s differs with settings its key leaves out (%v, %v)", name, errA, errB)
		}
	}
}

// TestNoAgreementMembers: certify, which reads no agreement baseline,
// passes none, and the upstream hands it a baseline of no members.
func TestNoAgreementMembers(t *testing.T) {
	if a := newUpstream(nil, tfrun.Options{}).agreement(agreementSettings{}); a.members != 0 {
		t.Errorf("%d members", a.members)
	}
}
