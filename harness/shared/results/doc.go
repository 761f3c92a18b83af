// Package results is segqa's vocabulary for what a run produces: the names
// of the stages, splits and REG-Net inputs, the files a run writes, and the
// JSON shapes of those files. Writers (experiments, the training loop) and
// readers (reports) use these types, so a shape is declared once. The
// claims a Table 2 records are checked here, once, with the paired tests
// of harness/shared/stats: it imports nothing else of segqa and may be
// imported by every package but that one.
package results
