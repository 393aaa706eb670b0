// Command ring0-overlay makes (or finds in its cache) the `go build -overlay` file that turns a Go
// toolchain's runtime into Ring0's, and prints its path. `ring0 build` runs it.
//
// Usage: ring0-overlay -goroot DIR [-cache DIR]
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"ring0.dev/go/patch"
)

func main() {
	goroot := flag.String("goroot", "", "GOROOT of the toolchain to patch (`go env GOROOT`)")
	cache := flag.String("cache", "", "cache directory (default: the user cache dir + /ring0/overlay)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: ring0-overlay -goroot DIR [-cache DIR]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *goroot == "" || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	if *cache == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			fail(err)
		}
		*cache = filepath.Join(dir, "ring0", "overlay")
	}
	tc, err := patch.ReadToolchain(*goroot)
	if err != nil {
		fail(err)
	}
	path, err := patch.Cached(tc, *cache)
	if err != nil {
		fail(err)
	}
	fmt.Println(path)
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "ring0: %v\n", err)
	os.Exit(1)
}
