package tables

import (
	"bytes"
	"io"
	"math"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/testkit/golden"
)

// certifiedFixture is a made-up certified table: two methods at one σ, one
// radius where every sample abstains.
func certifiedFixture() Certified {
	nan := results.Number(math.NaN())
	return Certified(results.Certified{Samples: 100, Alpha: 0.05, FailBelow: 0.7, NoiseSigma: 0.25, Rows: []results.CertifiedRow{
		{Input: results.InputXS, Method: results.InputXS.Name(), Sigma: 0.25, Radius: 0.1, N: 100, SmoothedMAE: 0.0912, ErrorBound: 0.1043, Decisions: 0.96, CorrectDecisions: 0.83, Width: 0.0351, Abstain: 0},
		{Input: results.InputDS, Method: results.InputDS.Name(), Sigma: 0.25, Radius: 0.1, N: 100, SmoothedMAE: 0.1712, ErrorBound: 0.1901, Decisions: 0.95, CorrectDecisions: 0.79, Width: 0.0298, Abstain: 0},
		{Input: results.InputDS, Method: results.InputDS.Name(), Sigma: 0.25, Radius: 1, N: 100, SmoothedMAE: 0.1712, ErrorBound: nan, Decisions: 0, CorrectDecisions: 0, Width: nan, Abstain: 1},
	}, Throughput: []results.CertifiedSpeed{{Input: results.InputXS, ImagesPerSec: 8287.5, ForwardPasses: 20200, Seconds: 2.44, ImagesPerBatch: 128}}})
}

func TestCertifiedGolden(t *testing.T) {
	tab := certifiedFixture()
	for _, f := range []struct {
		ext    string
		render func(io.Writer) error
	}{{"txt", tab.Terminal}, {"md", tab.Markdown}, {"csv", tab.CSV}, {"json", tab.JSON}} {
		t.Run(f.ext, func(t *testing.T) {
			var buf bytes.Buffer
			if err := f.render(&buf); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "certified."+f.ext+".golden"), buf.Bytes())
		})
	}
	var buf bytes.Buffer
	if err := Write(&buf, "txt", results.Certified(tab)); err != nil {
		t.Fatalf("Write does not render the certified table: %v", err)
	}
}

// TestCertifiedReadsBack: certified.json reads back as written, an
// abstaining row's NaN figures included, and rows are found by input,
// σ and radius.
func TestCertifiedReadsBack(t *testing.T) {
	var buf bytes.Buffer
	want := results.Certified(certifiedFixture())
	if err := want.JSON(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := results.ReadCertified(&buf)
	if err != nil {
		t.Fatal(err)
	}
	r := got.Row(results.InputDS, 0.25, 1)
	if r == nil || !math.IsNaN(float64(r.ErrorBound)) || r.Abstain != 1 {
		t.Errorf("abstaining row read back as %+v", r)
	}
	got.Rows[2].ErrorBound, got.Rows[2].Width = 0, 0
	want.Rows[2].ErrorBound, want.Rows[2].Width = 0, 0
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back\n%+v\nwant\n%+v", got, want)
	}
}
