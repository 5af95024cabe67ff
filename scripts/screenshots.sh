#!/usr/bin/env bash
# Refresh every screenshot in the README from the real app under Xvfb, in
# one command: builds the app, then takes each picture with
# scripts/screenshot.sh on the example project.
#   scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --locked
shot() { scripts/screenshot.sh "$@"; }
# The wizard on the issue with work left, where the app opens.
shot docs/screenshot-wizard.png example
# The build-and-sign step of the scheduled release.
shot docs/screenshot-signing.png example --issue POSTBOTE-1 --step build_and_sign
