#!/usr/bin/env bash
# Fuzz the project loader, the playbook loader and mail template rendering
# with cargo-fuzz (libFuzzer), each for a bounded time, starting from the
# shipped files as seeds. A crash or a hang (an input that runs over
# -timeout seconds) stops that target; its input is copied into
# fuzz/regressions/TARGET/, which tests/fuzz_regressions.rs replays in every
# test run, so it stays fixed once fixed.
# Usage: scripts/fuzz.sh [SECONDS per target, default 60] [TARGET...]
#   targets: project playbook template (default: all)
#   FUZZ_SANITIZER=address to build with AddressSanitizer (default: none;
#   the code under test is safe Rust, and uninstrumented runs are faster).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(project playbook template)

if ! rustup toolchain list | grep -q '^nightly'; then
    echo "cargo-fuzz needs a nightly toolchain: rustup toolchain install nightly" >&2
    exit 2
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
scripts/setup-system.sh

seed() {
    local t=$1 dir=fuzz/corpus/$1
    mkdir -p "$dir"
    case $t in
        project) cp assets/examples/*.ron "$dir/" ;;
        playbook) cp assets/playbooks/*.ron "$dir/" ;;
        template) cp assets/templates/*.txt.j2 "$dir/" ;;
    esac
    # What was found before is a good start too.
    if [ -d "fuzz/regressions/$t" ]; then cp fuzz/regressions/"$t"/* "$dir/" 2>/dev/null || true; fi
}

failed=()
for t in "${targets[@]}"; do
    seed "$t"
    echo "== fuzzing $t for ${secs}s"
    rm -rf "fuzz/artifacts/$t"
    if cargo +nightly fuzz run --sanitizer "${FUZZ_SANITIZER:-none}" "$t" "fuzz/corpus/$t" -- \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1; then
        echo "== $t: no crash, no hang"
    else
        failed+=("$t")
        mkdir -p "fuzz/regressions/$t"
        for a in fuzz/artifacts/"$t"/*; do
            [ -e "$a" ] || continue
            cp "$a" "fuzz/regressions/$t/"
            echo "== $t: kept $(basename "$a") in fuzz/regressions/$t/ (replayed by tests/fuzz_regressions.rs)"
        done
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found problems in: ${failed[*]}" >&2
    exit 1
fi
echo "fuzzing done: ${targets[*]} ran ${secs}s each without a crash or a hang"
