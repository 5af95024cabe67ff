#!/usr/bin/env bash
# Build Embargo's Debian package with cargo-deb: the release binary, the
# desktop entry, the AppStream metainfo, the icons and the README, as listed
# in Cargo.toml's [package.metadata.deb]. Installs the system packages and
# cargo-deb first when they are missing. Extra arguments go to `cargo deb`.
# Prints the path of the .deb on the last line.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-system.sh

if ! cargo deb --version >/dev/null 2>&1; then
  echo "embargo: installing cargo-deb" >&2
  cargo install cargo-deb --locked
fi

# cargo deb builds in release mode and prints the package's path last.
deb="$(cargo deb --locked "$@" | tail -n 1)"
echo "$deb"
