// Package results is segqa's vocabulary for what a run produces: the names
// of the stages, splits and REG-Net inputs, the files a run writes, and the
// JSON shapes of those files. Writers (experiments, the training loop) and
// readers (reports) use these types, so a shape is declared once. It
// imports nothing of segqa and may be imported by every package.
package results
