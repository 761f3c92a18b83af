package run

import (
	"fmt"
	"testing"
)

func TestStreamsAreDistinctAndStable(t *testing.T) {
	// Two zoo members whose former seeds, depth*10+filters, collided.
	a, b := Stream(1, "zoo/unet-d2-f16"), Stream(1, "zoo/unet-d3-f6")
	if a == b {
		t.Errorf("streams of two zoo members collide: %d", a)
	}
	if Stream(1, "recnet") == Stream(2, "recnet") {
		t.Error("the run's seed does not enter its streams")
	}
	if Stream(1, "recnet") != Stream(1, "recnet") {
		t.Error("a stream is not a function of seed and name")
	}
	seen := map[uint64]string{}
	for seed := uint64(0); seed < 50; seed++ {
		for _, name := range []string{"data/phantoms", "data/split", "pool/train", "pool/val", "pool/test", "recnet", "regnet", "attack"} {
			s := Stream(seed, name)
			if prev, ok := seen[s]; ok {
				t.Fatalf("stream %d %s repeats %s", seed, name, prev)
			}
			seen[s] = fmt.Sprint(seed, " ", name)
		}
	}
}
