// Package ociimage writes multi-platform OCI image archives from files held
// in memory: no Docker daemon, registry, base image or emulator is needed,
// so an image for arm64, arm/v6 and amd64 builds anywhere Go runs.
//
// The output is an OCI image layout (oci-layout, index.json, blobs/sha256)
// packed in one tar file, as podman, skopeo and crane read it. index.json
// holds a single entry, tagged with org.opencontainers.image.ref.name, that
// points at an image index with one manifest per platform.
//
// Layers are built here rather than by a container builder so that a file
// can carry Linux file capabilities (the security.capability extended
// attribute, written as a PAX record in the layer tar, as `RUN setcap` in a
// Dockerfile would leave it) without running anything inside the image.
// Every timestamp comes from Build.Created: the same inputs give the same
// digests.
package ociimage
