// Command env prints its environment sorted (the order is not part of the contract), then checks what
// the harness set for this run only: RING0_DIFF_VAR, an empty RING0_DIFF_EMPTY, and a value with '='
// and non-ASCII text. It also changes its own environment and prints the result.
package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
)

func main() {
	env := os.Environ()
	sort.Strings(env)
	fmt.Printf("%d variables\n", len(env))
	for _, kv := range env {
		fmt.Printf("env %q\n", kv)
	}

	failed := false
	check := func(what string, got, want any) {
		fmt.Printf("%s: %v\n", what, got)
		if got != want {
			fmt.Fprintf(os.Stderr, "FAIL: %s = %v, want %v\n", what, got, want)
			failed = true
		}
	}

	check("Getenv(RING0_DIFF_VAR)", os.Getenv("RING0_DIFF_VAR"), "value with spaces = and ünïcødé ✓")
	v, ok := os.LookupEnv("RING0_DIFF_EMPTY")
	check("LookupEnv(RING0_DIFF_EMPTY) ok", ok, true)
	check("LookupEnv(RING0_DIFF_EMPTY) value", v, "")
	_, ok = os.LookupEnv("RING0_DIFF_UNSET")
	check("LookupEnv(RING0_DIFF_UNSET) ok", ok, false)
	check("Getenv(RING0_DIFF_EQ)", os.Getenv("RING0_DIFF_EQ"), "a=b=c")

	check("Setenv", os.Setenv("RING0_DIFF_NEW", "new"), nil)
	check("Getenv(RING0_DIFF_NEW)", os.Getenv("RING0_DIFF_NEW"), "new")
	check("Unsetenv", os.Unsetenv("RING0_DIFF_VAR"), nil)
	_, ok = os.LookupEnv("RING0_DIFF_VAR")
	check("LookupEnv(RING0_DIFF_VAR) after Unsetenv", ok, false)
	check("ExpandEnv", os.ExpandEnv("[$RING0_DIFF_NEW|${RING0_DIFF_EQ}|$RING0_DIFF_UNSET]"), "[new|a=b=c|]")
	err := os.Setenv("", "x")
	check("Setenv(\"\") error", fmt.Sprint(err), "setenv: invalid argument")

	n := 0
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "RING0_DIFF_") {
			n++
		}
	}
	check("RING0_DIFF_ variables now", n, 3)
	if failed {
		os.Exit(1)
	}
}
