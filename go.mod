module github.com/psobox/psobox

go 1.25.0

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/google/go-cmp v0.7.0
	github.com/vishvananda/netns v0.0.5
	golang.org/x/sync v0.22.0
)

require golang.org/x/sys v0.2.0 // indirect
