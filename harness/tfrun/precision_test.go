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
		used, note := precision(config.BFloat16, Options{Device: config.DeviceCPU}, func() (bool, string) { return hasBF16Flag(c.cpuinfo) })
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
	if used, note := precision(config.Float32, Options{}, func() (bool, string) { return false, "none" }); used != config.Float32 || note != "" {
		t.Errorf("float32 asked: %s used, note %q", used, note)
	}
}
