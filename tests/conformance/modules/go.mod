module ring0.dev/tests/conformance/modules

go 1.24

require (
	github.com/mattn/go-sqlite3 v1.14.53
	go.etcd.io/bbolt v1.4.3
)

require golang.org/x/sys v0.29.0 // indirect
