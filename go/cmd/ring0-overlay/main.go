// Command ring0-overlay makes (or finds in its cache) the `go build -overlay` file that turns a Go
// toolchain's runtime into Ring0's. `ring0 build` runs it.
//
// Usage: ring0-overlay -goroot DIR [-gomodcache DIR] [-cache DIR]
//
// It prints two lines: the GOROOT to build with, then the overlay.json. The GOROOT is DIR itself
// or, when DIR lies under GOMODCACHE (a toolchain that GOTOOLCHAIN selected), a copy of it made once
// under the cache, since the go command refuses to replace files under GOMODCACHE. Build with that
// GOROOT's bin/go, with GOTOOLCHAIN=local and GOROOT set to it.
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
	gomodcache := flag.String("gomodcache", "", "the module cache (`go env GOMODCACHE`): a GOROOT under it is copied")
	cache := flag.String("cache", "", "cache directory: overlays in DIR/overlay, GOROOT copies in DIR/goroot (default: the user cache dir + /ring0)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: ring0-overlay -goroot DIR [-gomodcache DIR] [-cache DIR]")
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
		*cache = filepath.Join(dir, "ring0")
	}
	tc, err := patch.ReadToolchain(*goroot)
	if err != nil {
		fail(err)
	}
	// Refuse an unsupported version before copying a whole toolchain for nothing.
	if _, err := patch.ProfileFor(tc.Version); err != nil {
		fail(err)
	}
	tc, err = patch.Patchable(tc, *gomodcache, filepath.Join(*cache, "goroot"))
	if err != nil {
		fail(err)
	}
	path, err := patch.Cached(tc, filepath.Join(*cache, "overlay"))
	if err != nil {
		fail(err)
	}
	fmt.Println(tc.GOROOT)
	fmt.Println(path)
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "ring0: %v\n", err)
	os.Exit(1)
}
