// Package train runs the training loop shared by every network of segqa:
// it feeds shuffled, augmented batches, shows a progress bar with loss and
// throughput, evaluates on validation data each epoch, keeps the best and
// the last checkpoints (and any epochs asked for), and resumes a killed run
// from its last finished epoch with bit-identical results: shuffling,
// augmentation and dropout are seeded by (seed, epoch, step), and the
// optimiser state is checkpointed with the weights.
package train
