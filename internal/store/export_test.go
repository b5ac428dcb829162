package store

// SummarizeCallRecords exposes the records-only summary to the tests, which
// hold the rollup to it.
var SummarizeCallRecords = (*Store).summarizeCallRecords
