// Package slurm runs the cells of a segqa sweep on a Slurm cluster: it
// renders the two batch scripts from the typed launcher settings (one job
// array with a task per cell, and a report job), submits them with sbatch,
// reads squeue and sacct, and keeps the record of what was submitted in
// SWEEP/slurm/jobs.json.
//
// Every task runs `segqa sweep --out SWEEP --cell I` on the shared sweep
// directory, so the cells share upstream stages through the stage store
// and its locks exactly as with `segqa sweep --jobs N`. The array task id is
// the cell's index in SWEEP/sweep.json.
package slurm
