# psobox: `make run` starts the appliance on its built-in defaults,
# `make test` runs every check CI runs. Both work on a fresh Debian machine
# with Go; .ci/run installs the Debian packages the tests use.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

GO ?= go
# Tools are pinned in tools/go.mod, apart from the product's own go.mod.
TOOL := $(GO) tool -modfile=tools/go.mod

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
VERSION_PKG := github.com/psobox/psobox/internal/version
STAMP := -X $(VERSION_PKG).Version=$(VERSION) -X $(VERSION_PKG).Commit=$(COMMIT)

# Extra flags for go test, e.g. `make test GOTESTFLAGS=-race`.
GOTESTFLAGS ?=
BENCH_OUT ?= bench.out
# The Go benchmarks alone, before the load scenarios are added.
BENCH_GO_OUT ?= bench-go.out
STATE_DIR ?= ./psobox-state
# Where cross and deb put what they build.
DIST ?= dist

# name:GOARCH:GOARM of every release target.
CROSS_TARGETS := amd64:amd64: arm64:arm64: armv6:arm:6
COMMANDS := psobox psobot

.PHONY: build run test lint bench cross image image-release test-image deb container clean

build:
	$(GO) build -trimpath -ldflags "$(STAMP)" -o bin/psobox ./cmd/psobox
	$(GO) build -trimpath -ldflags "$(STAMP)" -o bin/psobot ./cmd/psobot

run: build
	./bin/psobox -state-dir $(STATE_DIR)

# Everything CI checks. Tests that need root (network namespaces) skip
# with a message when not run as root.
test: lint
	$(GO) test $(GOTESTFLAGS) ./...

lint:
	$(GO) vet ./...
	@unformatted="$$(gofmt -l .)"; \
	if [ -n "$$unformatted" ]; then echo "gofmt: these files need formatting:"; echo "$$unformatted"; exit 1; fi
	$(TOOL) staticcheck ./...

# Benchmarks, not part of `make test` (docs/performance.md): every Go
# benchmark, then internal/bench starts a psobox on 127.0.0.1 (temporary
# config, DNS and status page on free ports, no DHCP), runs psobot load at
# BENCH_CLIENTS clients and, with dnsperf installed, DNS queries/s of psobox
# and dnsmasq side by side, stops what it started and prints one table.
# $(BENCH_OUT) is in Go benchmark format: compare two runs with
# `go tool -modfile=tools/go.mod benchstat old.out new.out`.
BENCHTIME ?= 1s
BENCH_CLIENTS ?= 10,100,1000
BENCH_DURATION ?= 10s
# BENCH_IDLE=1000 also holds that many idle clients for 150s (the server's
# RSS per client once the runtime's periodic collection has run).
BENCH_IDLE ?= 0
bench: build
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./... | tee $(BENCH_GO_OUT)
	$(GO) run ./internal/bench -psobox bin/psobox -psobot bin/psobot -clients $(BENCH_CLIENTS) \
		-duration $(BENCH_DURATION) -idle $(BENCH_IDLE) -go-bench $(BENCH_GO_OUT) -out $(BENCH_OUT)

cross:
	@mkdir -p $(DIST)
	@for target in $(CROSS_TARGETS); do \
		IFS=: read -r name arch arm <<< "$$target"; \
		for cmd in $(COMMANDS); do \
			echo "$(DIST)/$$cmd-linux-$$name"; \
			CGO_ENABLED=0 GOOS=linux GOARCH=$$arch GOARM=$$arm \
				$(GO) build -trimpath -ldflags "-s -w $(STAMP)" -o $(DIST)/$$cmd-linux-$$name ./cmd/$$cmd; \
		done; \
	done

# Raspberry Pi OS (Debian) packages psobox_<version>_{amd64,arm64,armhf}.deb
# from the cross-built binaries, with the pinned nfpm (systemd/mkdeb).
deb: cross
	GO="$(GO)" ./systemd/mkdeb "$(VERSION)" "$(DIST)"


# gokrazy images, built by monogok (pinned in tools/go.mod) and checked by
# psobox-image: the SD card image for the Raspberry Pi and the VM image the
# boot test runs. Each build writes its web interface password beside the
# image (<image>.password.txt). See README.md, "The SD card image".
# IMAGE_PASSWORD_FILE=<file> builds with that password instead of a new one,
# e.g. the .password.txt of the image a Pi runs, to update it over the network.
IMAGE_TOOL := $(GO) run ./image/cmd/psobox-image
RPI_IMAGE := dist/psobox-rpi-$(VERSION).img
VM_IMAGE := dist/psobox-vm-$(VERSION).img
IMAGE_PASSWORD_FILE ?=
IMAGE_FLAGS = -version $(VERSION) -commit $(COMMIT) $(if $(IMAGE_PASSWORD_FILE),-password-file $(IMAGE_PASSWORD_FILE))

image:
	$(IMAGE_TOOL) build -instance gokrazy/rpi -out $(RPI_IMAGE) $(IMAGE_FLAGS)
	$(IMAGE_TOOL) build -instance gokrazy/vm -out $(VM_IMAGE) $(IMAGE_FLAGS)

# The release asset: the Pi image compressed with xz, and its checksum.
image-release:
	$(IMAGE_TOOL) build -instance gokrazy/rpi -out $(RPI_IMAGE) $(IMAGE_FLAGS) -xz
	cd dist && sha256sum $(notdir $(RPI_IMAGE)).xz > $(notdir $(RPI_IMAGE)).xz.sha256

# The image tests alone, verbose: every instance config, both images built
# and checked, and the VM image booted under qemu (needs root and the
# packages .ci/run installs; `make test` runs them too).
test-image:
	$(GO) test -count=1 -v -run 'TestShippedInstances|TestValidateRefuses|TestRPiImage|TestVMImage' ./image/

# The container image: an OCI archive holding linux/amd64, linux/arm64 and
# linux/arm/v6, assembled from the cross-built binaries by deploy/mkimage
# (no Docker daemon, registry or emulator). Timestamps are the commit's, so
# a rebuild of the same commit gives the same digests.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
container: cross
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(GO) run ./deploy/mkimage \
		-bin dist -o dist/psobox-oci.tar -version $(VERSION) -revision $(COMMIT)

clean:
	rm -rf bin dist $(BENCH_OUT) $(BENCH_GO_OUT)
