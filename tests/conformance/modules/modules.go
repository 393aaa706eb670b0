// Package modules pins the third-party packages whose own tests the conformance suite runs in Ring0
// (conformance_test.go, TestModules): the imports below are the packages it tests and keep them
// required, and this module's go.mod and go.sum fix their versions.
package modules

import (
	_ "github.com/mattn/go-sqlite3" // SQLite in C (cgo): its file calls go past the kernel, to the host
	_ "go.etcd.io/bbolt"            // a database that maps its file (mmap), locks it (flock) and syncs it (fdatasync)
)
