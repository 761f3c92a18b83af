// Package orchestrate runs the cells of a sweep. A Plan is the sweep as
// sweep.json records it and the resolved config of each cell; a Launcher
// runs a plan: Local runs the cells in this process, Jobs at a time, and
// Slurm submits them as one job array with a report job after them. Every
// cell runs in its run directory under the sweep directory and shares the
// sweep's stage store, so whichever process runs a cell, the stages it
// shares with other cells run once. RunCell runs one cell (what a Slurm
// task does), InspectCell reads how far a cell got and SweepStatus how far
// the whole sweep got, from the run directories and from Slurm.
//
// The package reads no environment: the command line passes in what it
// reads there (the Slurm task a cell runs as, its threads, the working
// directory and the segqa binary the tasks run).
package orchestrate
