// Package tables renders experiment results as the paper's tables.
//
// Table1 holds the no-attack comparison (MAE of the predicted Dice, its
// standard deviation, sample count, Pearson correlation and the accuracy of
// the "Dice below 0.7" decision); Table2 holds MAE against the FGSM level
// epsilon for each attacked pipeline. Generic carries any other table, such
// as an ablation. Every table renders four ways, each to an io.Writer:
//
//   - Terminal: a compact table without boxes, in the manner of benchstat,
//     that fits Width (100 columns): numbers with two decimals, short row
//     names (Table 2's row IDs) with a legend, the paper's figures under
//     ours, and the quality-control figures as tables of their own;
//     PrintRun prints a run's tables so;
//   - Markdown: the paper's layout, whole, as a GitHub-flavoured pipe
//     table (report.md and report.html take these);
//   - CSV: one header line, numbers at full precision (Table2 is written in
//     long form, one line per row and epsilon);
//   - JSON: numbers at full precision, NaN and ±Inf written as null.
//
// A NaN number means "not measured" and renders as an em dash "—" in
// Terminal and Markdown. PaperTable1 and PaperTable2 hold the published
// figures; WithPaper copies them beside our own rows.
package tables
