package orchestrate

import (
	"testing"

	"github.com/segqa/segqa/experiments"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/reports/figures"
	"github.com/segqa/segqa/reports/tables"
)

// testRender draws figures and tables as segqa's command does, so that the
// tests see every file a user's sweep writes.
var testRender = experiments.Renderers{Figure: figures.Draw, Table: tables.Write, Summary: tables.PrintRun}

func ciConfig(t *testing.T, sets ...string) config.Config {
	t.Helper()
	cfg, err := config.Load("../../configs/ci.yaml", nil, sets)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
