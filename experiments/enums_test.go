package experiments

import (
	"slices"
	"testing"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/config"
)

// The config decodes losses and initialisations into its own types, which
// the experiments convert to the builders' types without a check: every
// value the config allows must be one the builders know.
func TestConfigEnumsAreBuilderEnums(t *testing.T) {
	for _, l := range append(slices.Clone(config.SegmentationLosses), config.RegressionLosses...) {
		if !slices.Contains(graphs.Losses, graphs.Loss(l)) {
			t.Errorf("config allows loss %q, which graphs does not know", l)
		}
	}
	for _, in := range config.Inits {
		if !slices.Contains(graphs.InitSchemes, graphs.InitScheme(in)) {
			t.Errorf("config allows init %q, which graphs does not know", in)
		}
	}
}

// auto is resolved before the builders see it (resolvePrecisions); what it
// resolves to, they must know.
func TestConfigPrecisionsAreBuilderPrecisions(t *testing.T) {
	for _, p := range config.Resolved {
		if !slices.Contains(graphs.Precisions, graphs.Precision(p)) {
			t.Errorf("config allows precision %q, which graphs does not know", p)
		}
	}
}
