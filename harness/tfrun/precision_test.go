package tfrun

import (
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/config"
)

func TestBFloat16FallsBackWithoutNativeSupport(t *testing.T) {
	const zen3 = "processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f avx512bw\n"
	const zen4 = "processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f avx512_bf16 avx512bw\n"
	const sapphire = "flags\t\t: fpu avx512f amx_bf16 amx_tile\n"
	for _, c := range []struct {
		name, cpuinfo string
		want          bool
	}{{"zen3", zen3, false}, {"zen4", zen4, true}, {"sapphire rapids", sapphire, true}, {"no flags", "processor: 0\n", false}} {
		ok, why := hasBF16Flag(c.cpuinfo)
		if ok != c.want || (!ok && why == "") {
			t.Errorf("%s: native bfloat16 %v (%q), want %v", c.name, ok, why, c.want)
		}
		used, note := precision(config.BFloat16, Options{Device: config.DeviceCPU}, func() (bool, string) { return hasBF16Flag(c.cpuinfo) }, noGPU)
		want := config.Float32
		if c.want {
			want = config.BFloat16
		}
		if used != want || (note == "") == (used == config.Float32) {
			t.Errorf("%s: bfloat16 asked, %s used, note %q", c.name, used, note)
		}
		if note != "" && (strings.Contains(note, "\n") || !strings.Contains(note, "float32")) {
			t.Errorf("%s: the fallback note is not one line naming float32: %q", c.name, note)
		}
	}
	if used, note := precision(config.Float32, Options{}, func() (bool, string) { return false, "none" }, noGPU); used != config.Float32 || note != "" {
		t.Errorf("float32 asked: %s used, note %q", used, note)
	}
}

func noGPU(Options) bool { return false }

// auto is bfloat16 exactly where the CPU has it natively and no GPU may
// run the networks, and says nothing either way.
func TestAutoPrecisionIsBFloat16WhereNativeOnCPU(t *testing.T) {
	native := func() (bool, string) { return true, "" }
	emulated := func() (bool, string) { return false, "no flag" }
	gpu := func(Options) bool { return true }
	for _, c := range []struct {
		name   string
		native func() (bool, string)
		gpu    func(Options) bool
		want   config.Precision
	}{
		{"native bfloat16, CPU", native, noGPU, config.BFloat16},
		{"emulated bfloat16, CPU", emulated, noGPU, config.Float32},
		{"native bfloat16, GPU", native, gpu, config.Float32},
		{"emulated bfloat16, GPU", emulated, gpu, config.Float32},
	} {
		used, note := precision(config.PrecisionAuto, Options{}, c.native, c.gpu)
		if used != c.want || note != "" {
			t.Errorf("%s: auto resolves to %s (note %q), want %s and no note", c.name, used, note, c.want)
		}
	}
	if mayUseGPU(Options{Device: config.DeviceCPU}) {
		t.Error("device cpu: a GPU may be used")
	}
	if !mayUseGPU(Options{Device: config.DeviceGPU}) {
		t.Error("device gpu: no GPU may be used")
	}
}
