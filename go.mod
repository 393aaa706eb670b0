module ring0.dev

go 1.25

// The public API module (go/api) is a module of its own, so that apps outside this repository can
// require it; the benchmarks and tests here use this copy.
require ring0.dev/api v0.0.0

replace ring0.dev/api => ./go/api
