module ring0.dev

go 1.25
