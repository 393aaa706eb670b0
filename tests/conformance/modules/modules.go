// Package modules pins the third-party packages whose own tests the conformance suite runs in Ring0
// (conformance_test.go, TestModules): this module's go.mod and go.sum fix their versions, and the
// imports below keep them required.
package modules

import (
	_ "github.com/fsnotify/fsnotify" // inotify: the host reports what the app does to its files
	_ "github.com/mattn/go-sqlite3"  // SQLite in C (cgo): its file calls go past the kernel, to the host
	_ "go.etcd.io/bbolt"             // a database that maps its file (mmap), locks it (flock) and syncs it (fdatasync)
)
