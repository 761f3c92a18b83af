package experiments

import (
	"github.com/segqa/segqa/reports/figures"
	"github.com/segqa/segqa/reports/tables"
)

// testRender draws figures and tables as segqa's command does, so that the
// tests see every file a user's run writes.
var testRender = Renderers{Figure: figures.Draw, Table: tables.Write, Summary: tables.PrintRun}
