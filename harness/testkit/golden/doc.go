// Package golden compares test output with golden files kept in testdata.
//
// Check compares what a test produced with the golden file at a path. On a
// mismatch it writes what the test got beside the golden file, as
// PATH.got, and fails with the first differing line; a later match removes
// the stale PATH.got. Run the tests with -regen (for example
// go test ./reports/tables -regen) to rewrite the golden files with what
// the tests now produce, after checking that the change is intended.
//
// The -regen flag is registered when a test binary imports this package,
// so a test package that imports it must not define its own -regen flag.
//
// It is for tests only: import it from _test.go files, never from a
// package's own code (it imports testing and registers a flag). It lives
// in harness/testkit rather than under an internal/ folder because Go
// would then let only harness/ import it, and the tests of graphs/ and
// reports/ use it too.
package golden
