// Package tensorboard writes and reads TensorBoard event files. A Writer
// holds a summary-writer resource in its own small TensorFlow graph and
// session and writes scalars and grey images with TensorFlow's own summary
// ops (CreateSummaryFileWriter, WriteScalarSummary, WriteImageSummary), so
// the files are exactly what TensorFlow writes. Its Epoch method makes it an
// observer of the training loop: loss, validation metric, learning rate
// and throughput per epoch.
//
// ReadEvents reads an event file back record by record, checking the
// TFRecord framing and both masked CRC-32C checksums of every record;
// Scalars and Images pick the summaries out of the events.
package tensorboard
