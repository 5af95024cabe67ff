#!/usr/bin/env bash
# Embargo's benchmark suite: builds in release mode (cargo's bench profile)
# and prints, for each figure, Embargo's time beside the reference measured
# in the same run and their ratio (ours / reference), each the median or best
# of several runs:
#   sign       1 GiB + SHA256SUMS + SHA512SUMS vs sha256sum; sha512sum; gpg
#   artifacts  tag → tar, gz, bz2, xz, sums, signatures vs the shell pipeline
#   store      load and save of 500 issues / 20,000 journal entries vs bare ron
#   ui         UI CPU time per frame on that project vs the 2 ms target; idle
#   startup    launch to first frame vs a bare eframe window
#   merge      three-way merge of two versions of that project vs the 100 ms target
#   sync       sync of that project, unchanged, with its bare team repository vs git fetch + push
# Usage: scripts/bench.sh [NAME...]   (default: all; sizes: EMBARGO_BENCH_MIB,
# EMBARGO_BENCH_FILES).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-system.sh
benches=("$@")
if [ ${#benches[@]} -eq 0 ]; then
    benches=(sign artifacts store ui startup merge sync)
fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
echo "rustc:   $(rustc --version)"
cargo build --release --locked --example bare_window
for b in "${benches[@]}"; do
    echo
    echo "== $b"
    cargo bench --locked --bench "$b" 2>&1 | grep -v '^\s*\(Compiling\|Finished\|Running\)'
done
