#!/usr/bin/env bash
# Build Embargo in release mode and start the desktop app on its example
# project, installing the system packages it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-system.sh
exec cargo run --release --locked -- example "$@"
