// Package figures draws the project's figures with gonum.org/v1/plot.
//
// ImageGrid lays out image panels (greyscale slices with coloured mask
// contours, or "hot" difference images) in a grid with a title above each
// cell: the paper's sample slices, x / masked x / reconstruction /
// difference rows, prediction panels and attack panels. Scatter, Histograms,
// ErrorBars and Curves return a *plot.Plot in a common style (sans-serif
// text, light grid, a colour-blind-safe palette), which the caller may adjust
// further (for example a log scale on Curves' Y axis) before rendering it with
// WritePNG. SmallMultiples lays several such plots out at one scale, each
// with its legend under its data rather than on it.
//
// Everything renders to an io.Writer; SavePNG is a thin wrapper that writes
// a file atomically (temporary file, then rename), and SavePlot combines the
// two.
package figures
