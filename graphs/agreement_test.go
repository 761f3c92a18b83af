package graphs

import (
	"slices"
	"strings"
	"testing"

	"github.com/wamuir/graft/tensorflow/op"
)

// TestAgreementRestoresMembers: the agreement graph names each member's
// variables as a Segmenter trained under MemberScope does, so that its
// Savers restore the members' checkpoints.
func TestAgreementRestoresMembers(t *testing.T) {
	spec := UNetSpec{Depth: 2, Filters: 4, Out: 1}
	s := op.NewScope()
	a := Agreement(s, spec, 16, 3)
	if _, err := s.Finalize(); err != nil {
		t.Fatal(err)
	}
	if len(a.Probs) != 3 || len(a.Savers) != 3 {
		t.Fatalf("%d members' probabilities and %d savers, want 3", len(a.Probs), len(a.Savers))
	}
	for k := range 3 {
		ts := op.NewScope()
		m := Segmenter(ts.SubScope(MemberScope(k)), spec, 16, DiceBCE, 1, Adam{})
		if _, err := ts.Finalize(); err != nil {
			t.Fatal(err)
		}
		var trained []string
		for _, name := range m.Saver.Names {
			if strings.HasPrefix(name, MemberScope(k)+"/unet/") && !strings.Contains(name, "/train/") {
				trained = append(trained, name)
			}
		}
		if len(trained) == 0 || !slices.Equal(trained, a.Savers[k].Names) {
			t.Errorf("member %d: the agreement graph restores %v, the segmenter saves %v", k, a.Savers[k].Names, trained)
		}
	}
}
