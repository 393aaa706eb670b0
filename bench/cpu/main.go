// Cpu is CPU-bound work with no system calls in the measured loops, to show that the kernel costs
// nothing when it is not called:
//
//	cpu-sha256  SHA-256 of a 4 KiB block, each digest fed back into the block
//	cpu-sieve   a sieve of Eratosthenes up to 2,000,000 in a reused buffer (no allocation)
//
//	go run ./bench/cpu [-n 300000] [-sieve 150] [-quick]
package main

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"time"

	"ring0.dev/bench/internal/harness"
)

const sieveLimit = 2_000_000

// primesBelowLimit is π(2,000,000).
const primesBelowLimit = 148_933

// sink keeps the results alive so the loops cannot be optimised away.
var sink uint64

func main() {
	sizes := harness.NewSizes(300_000, "measured SHA-256 blocks", 200*time.Millisecond, "run each loop for this long before its timer starts")
	nSHA, warm := sizes.N, sizes.Warm
	nSieve := flag.Int("sieve", 150, "measured sieves (a tenth with -quick)")
	sizes.Parse()
	if *sizes.Quick {
		*nSieve /= 10
	}
	if *nSHA <= 0 || *nSieve <= 0 {
		fail(fmt.Errorf("bad flags: -n %d -sieve %d", *nSHA, *nSieve))
	}

	var block [4096]byte
	for i := range block {
		block[i] = byte(i)
	}
	harness.Warm(*warm, 1000, func(n int) { hashChain(&block, n) })
	start := time.Now()
	sum := hashChain(&block, *nSHA)
	d := time.Since(start)
	sink += uint64(sum[0])
	fmt.Printf("cpu-sha256: %d blocks of %d B in %v (%.0f MB/s), last digest %x\n",
		*nSHA, len(block), d, float64(*nSHA)*float64(len(block))/d.Seconds()/1e6, sum[:8])
	harness.Print("cpu-sha256", d, int64(*nSHA))

	composite := make([]bool, sieveLimit)
	harness.Warm(*warm, 1, func(int) { sink += uint64(sieve(composite)) })
	start = time.Now()
	for i := 0; i < *nSieve; i++ {
		if c := sieve(composite); c != primesBelowLimit {
			fail(fmt.Errorf("sieve found %d primes below %d, want %d", c, sieveLimit, primesBelowLimit))
		}
	}
	d = time.Since(start)
	fmt.Printf("cpu-sieve: %d sieves up to %d in %v\n", *nSieve, sieveLimit, d)
	harness.Print("cpu-sieve", d, int64(*nSieve))
}

// hashChain hashes block n times, writing each digest into the block's first bytes.
func hashChain(block *[4096]byte, n int) [sha256.Size]byte {
	var sum [sha256.Size]byte
	for i := 0; i < n; i++ {
		sum = sha256.Sum256(block[:])
		copy(block[:], sum[:])
	}
	return sum
}

// sieve counts the primes below len(composite), reusing composite.
func sieve(composite []bool) int {
	clear(composite)
	count := 0
	for i := 2; i < len(composite); i++ {
		if composite[i] {
			continue
		}
		count++
		for j := i * i; j < len(composite); j += i {
			composite[j] = true
		}
	}
	return count
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "cpu:", err)
	os.Exit(1)
}
