// Package run manages a run directory: the resolved config, a manifest of
// versions, seed, machine and per-stage timings, and one folder per stage
// keyed by a hash of the settings the stage depends on and of its inputs'
// keys. A stage whose folder holds a DONE marker is finished and is skipped;
// a changed setting changes the key of that stage and of every stage
// downstream, and only those run again.
//
// Every file is written atomically (temporary file in the same folder,
// fsync, rename), so a run killed at any moment leaves either the old file
// or the new one, never half of one.
package run
