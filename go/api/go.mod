module ring0.dev/api

go 1.24
