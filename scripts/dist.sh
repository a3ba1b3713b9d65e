#!/usr/bin/env sh
# Static binaries of the mock and the harness for each platform, into dist/:
#   dist/mockserver-<os>-<arch>[.exe], dist/conformance-<os>-<arch>[.exe]
# PLATFORMS (default: linux, darwin and windows on amd64 and arm64) chooses others;
# VERSION and COMMIT default to what git says of the checkout.
set -eu
GO=${GO:-go}
OUT=${OUT:-dist}
PLATFORMS=${PLATFORMS:-"linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64"}
VERSION=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
COMMIT=${COMMIT:-$(git rev-parse HEAD 2>/dev/null || echo unknown)}
PKG=github.com/globus-conformance/kit/cmd/internal/buildinfo
mkdir -p "$OUT"
for p in $PLATFORMS; do
	os=${p%/*}
	arch=${p#*/}
	ext=""
	[ "$os" = windows ] && ext=.exe
	for cmd in mockserver conformance; do
		CGO_ENABLED=0 GOOS=$os GOARCH=$arch "$GO" build -trimpath \
			-ldflags "-s -w -X $PKG.version=$VERSION -X $PKG.commit=$COMMIT" \
			-o "$OUT/$cmd-$os-$arch$ext" "./cmd/$cmd"
	done
	echo "$OUT/mockserver-$os-$arch$ext $OUT/conformance-$os-$arch$ext"
done
