#!/usr/bin/env bash
# Builds and runs casebook's fuzz targets (see README.md beside this script).
#
#   tests/fuzz/run.sh                 # every target, 600 s each, one after the other
#   tests/fuzz/run.sh eml mbox        # only these
#   SECONDS_PER_TARGET=60 JOBS=2 tests/fuzz/run.sh
#
# Works on a stable toolchain: cargo-fuzz passes nightly-only -Z flags to rustc, which
# RUSTC_BOOTSTRAP=1 allows. Runs at the lowest CPU priority (nice 19) so a shared machine stays
# usable. A crash leaves its input in tests/fuzz/artifacts/TARGET/; copy it to
# tests/regressions/TARGET/ and `cargo test --test crash_regressions` replays it.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
seconds="${SECONDS_PER_TARGET:-600}"
jobs="${JOBS:-1}"
sanitizer="${SANITIZER:-none}"
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(export eml mbox clean segment)

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1

cd "$repo"
nice -n 19 cargo fuzz build --fuzz-dir tests/fuzz --sanitizer "$sanitizer"

for t in "${targets[@]}"; do
  corpus="$here/corpus/$t"
  mkdir -p "$corpus" "$here/artifacts/$t"
  # Seeds: the repository's corpus files for the readers, the regression inputs for everyone.
  case "$t" in
    export) find corpus/export -type f ! -name '*.json' -exec cp -n {} "$corpus/" \; ;;
    eml) find corpus/eml -type f ! -name '*.json' -exec cp -n {} "$corpus/" \; ;;
    mbox) find corpus/mbox -type f ! -name '*.json' -exec cp -n {} "$corpus/" \; ;;
    clean | segment) find corpus/export -type f ! -name '*.json' -exec cp -n {} "$corpus/" \; ;;
  esac
  if [ -d "tests/regressions/$t" ]; then cp -n tests/regressions/"$t"/* "$corpus/" 2>/dev/null || true; fi
  echo "== $t: ${seconds}s x ${jobs} job(s)"
  # -rss_limit_mb: an input that makes a reader take more than 2 GiB is a finding too.
  # -timeout: one input taking more than 20 s is a hang.
  nice -n 19 cargo fuzz run --fuzz-dir tests/fuzz --sanitizer "$sanitizer" "$t" "$corpus" -- \
    -max_total_time="$seconds" -jobs="$jobs" -workers="$jobs" -timeout=20 -rss_limit_mb=2048 \
    -max_len=65536 -artifact_prefix="$here/artifacts/$t/" -print_final_stats=1 \
    || echo "== $t: stopped with a finding (see $here/artifacts/$t/)"
done
