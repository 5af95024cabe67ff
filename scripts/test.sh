#!/usr/bin/env bash
# Run Embargo's whole test suite (unit, integration, CLI, kittest UI, doc
# tests), installing the system packages the tests need first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-system.sh
cargo test --locked "$@"
