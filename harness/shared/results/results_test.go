package results_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/shared/results"
)

func TestInputNamesAreDistinct(t *testing.T) {
	seen := map[string]results.Input{}
	for _, in := range results.Inputs {
		if other, ok := seen[in.Name()]; ok {
			t.Errorf("%s and %s share the name %q", in, other, in.Name())
		}
		seen[in.Name()] = in
	}
	if got := results.InputXDS.Name(); got != "ablation (x, d, s)" {
		t.Errorf("xds is %q", got)
	}
}

func TestPredictionsRoundTrip(t *testing.T) {
	in := results.Predictions{Patients: []string{"p1"}, Sources: []string{"zoo"}, TrueDice: []float64{0.5},
		Predicted: map[results.Input][]float64{results.InputXS: {0.4}, results.InputDS: {0.6}}}
	raw, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out results.Predictions
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("%+v became %+v", in, out)
	}
	if want := `"predicted":{"ds":[0.6],"xs":[0.4]}`; !json.Valid(raw) || !strings.Contains(string(raw), want) {
		t.Errorf("JSON %s lacks %s", raw, want)
	}
}
