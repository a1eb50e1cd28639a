module github.com/psobox/psobox

go 1.25.0

require (
	github.com/google/go-cmp v0.7.0
	github.com/vishvananda/netns v0.0.5
	go.etcd.io/bbolt v1.4.3
	golang.org/x/text v0.36.0
)

require golang.org/x/sys v0.29.0 // indirect
