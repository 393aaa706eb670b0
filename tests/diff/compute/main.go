// Command compute does CPU-bound work whose printed results must be the same anywhere: SHA-256 over a
// generated buffer, a prime sieve, a big-integer factorial, floating point, sorting, maps, JSON and
// regular expressions. It checks the results it knows and exits 1 if one is wrong.
package main

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"strings"
)

var failed bool

func check(what string, got, want any) {
	fmt.Printf("%s: %v\n", what, got)
	if want != nil && got != want {
		fmt.Fprintf(os.Stderr, "FAIL: %s = %v, want %v\n", what, got, want)
		failed = true
	}
}

func main() {
	// SHA-256 of a known string, and of 32 MiB from a fixed xorshift generator.
	check("sha256(abc)", fmt.Sprintf("%x", sha256.Sum256([]byte("abc"))),
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
	buf := make([]byte, 32<<20)
	x := uint64(88172645463325252)
	for i := 0; i < len(buf); i += 8 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		for j := 0; j < 8; j++ {
			buf[i+j] = byte(x >> (8 * j))
		}
	}
	check("sha256(32 MiB xorshift)", fmt.Sprintf("%x", sha256.Sum256(buf)), nil)
	check("crc32(32 MiB xorshift)", fmt.Sprintf("%08x", crc32.ChecksumIEEE(buf)), nil)

	// Sieve of Eratosthenes up to 10^7.
	const n = 10_000_000
	composite := make([]bool, n+1)
	count, last := 0, 0
	for i := 2; i <= n; i++ {
		if !composite[i] {
			count++
			last = i
			for j := i * i; j <= n; j += i {
				composite[j] = true
			}
		}
	}
	check("primes below 10^7", count, 664579)
	check("largest prime below 10^7", last, 9999991)

	// 2000! with math/big.
	f := new(big.Int).MulRange(1, 2000)
	s := f.String()
	digitSum := 0
	for _, c := range s {
		digitSum += int(c - '0')
	}
	check("digits of 2000!", len(s), 5736)
	check("digit sum of 2000!", digitSum, 23382)
	check("2000! starts", s[:20], "33162750924506332411")
	check("sha256(2000!)", fmt.Sprintf("%x", sha256.Sum256([]byte(s))), nil)
	p := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 127), big.NewInt(1))
	check("2^127-1 is prime", p.ProbablyPrime(20), true)
	r := new(big.Rat).SetFrac64(1, 3)
	r.Add(r, big.NewRat(1, 6))
	check("1/3 + 1/6", r.String(), "1/2")

	// Floating point (the same machine code natively and in Ring0: bit-identical results).
	sum := 0.0
	for i := 1; i <= 1_000_000; i++ {
		sum += math.Sin(float64(i)) / float64(i)
	}
	check("sum sin(i)/i", fmt.Sprintf("%.17g", sum), nil)
	check("pi", fmt.Sprintf("%.15f", math.Pi), "3.141592653589793")
	check("sqrt(2)", math.Sqrt(2), math.Sqrt2)
	check("NaN != NaN", math.NaN() != math.NaN(), true)

	// Sorting and maps with a seeded generator.
	rng := rand.New(rand.NewPCG(1, 2))
	nums := make([]int, 1_000_000)
	for i := range nums {
		nums[i] = rng.IntN(1_000_000)
	}
	slices.Sort(nums)
	check("sorted", slices.IsSorted(nums), true)
	check("min, median, max", fmt.Sprint(nums[0], nums[len(nums)/2], nums[len(nums)-1]), nil)
	freq := map[int]int{}
	for _, v := range nums {
		freq[v%1000]++
	}
	check("distinct buckets", len(freq), 1000)
	check("bucket 0", freq[0], nil)

	// JSON and regexp.
	type rec struct {
		Name  string            `json:"name"`
		Tags  []string          `json:"tags"`
		Attrs map[string]string `json:"attrs"`
	}
	js, err := json.Marshal(rec{"ring0", []string{"kernel", "go"}, map[string]string{"b": "2", "a": "1"}})
	check("json error", err, nil)
	check("json", string(js), `{"name":"ring0","tags":["kernel","go"],"attrs":{"a":"1","b":"2"}}`)
	var back rec
	check("json unmarshal", json.Unmarshal(js, &back), nil)
	check("json round trip", back.Attrs["b"], "2")
	re := regexp.MustCompile(`(\w+)@(\w+)\.org`)
	text := strings.Repeat("mail alice@example.org or bob@golang.org; ", 1000)
	check("regexp matches", len(re.FindAllString(text, -1)), 2000)
	check("regexp replace", re.ReplaceAllString("x@y.org", "$2 at $1"), "y at x")

	if failed {
		os.Exit(1)
	}
}
