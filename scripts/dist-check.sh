#!/usr/bin/env sh
# Checks what `make dist` built: every binary is there, carries the version it was given, and
# this platform's reports it with --version.
set -eu
OUT=${OUT:-dist}
GO=${GO:-go}
VERSION=${VERSION:?the version the binaries were built with}
host="$($GO env GOOS)-$($GO env GOARCH)"
for f in "$OUT"/mockserver-* "$OUT"/conformance-*; do
	grep -aq -- "$VERSION" "$f" || { echo "$f: not built with version $VERSION"; exit 1; }
done
for cmd in mockserver conformance; do
	got=$("$OUT/$cmd-$host" --version)
	echo "$got"
	case "$got" in
	"$cmd $VERSION (commit "*) ;;
	*) echo "$cmd-$host --version does not say $VERSION"; exit 1 ;;
	esac
done
echo "dist: $(ls "$OUT" | wc -l) binaries, version $VERSION"
