#!/usr/bin/env bash
# casebook ingest beside the mail indexers people use (mu, notmuch) on the same generated maildir:
# messages per second (wall and per CPU second), peak RSS, and casebook's ratio to each.
#
#   tests/tools/peers.sh [CASEBOOK_BINARY]     (default: target/release/casebook)
#
# Needs python3, ../shared/bench/gen_corpus.py and, for the peers, `apt-get install notmuch
# maildir-utils` (a peer that is missing is reported and skipped). The corpus (54k messages,
# `--threads 5000 --seed 7`) is generated once into $PEERS_DIR (default /tmp/casebook-peers) and
# kept between runs; stores and peer databases are made fresh each run. On a shared machine
# compare the CPU figures: wall time depends on what else runs.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$here/target/release/casebook}
dir=${PEERS_DIR:-/tmp/casebook-peers}
threads=${PEERS_THREADS:-5000}
maildir=$dir/maildir
mkdir -p "$dir"

if [ ! -d "$maildir/cur" ] && [ ! -d "$maildir/new" ]; then
  echo "generating the corpus ($threads threads) into $maildir ..." >&2
  python3 "$here/../shared/bench/gen_corpus.py" --threads "$threads" --seed 7 --maildir "$maildir" >&2
fi
messages=$(find "$maildir" -path '*/.*' -prune -o -type f -print | wc -l)

# run NAME COMMAND...: one timed run; prints "NAME wall_s cpu_s peak_mib"
run() {
  local name=$1; shift
  local log=$dir/$name.time
  if ! /usr/bin/time -v "$@" > "$dir/$name.out" 2> "$log"; then
    echo "$name failed; see $dir/$name.out and $log" >&2
    return 1
  fi
  awk -v name="$name" '
    /User time/ {u=$NF} /System time/ {s=$NF} /Maximum resident/ {r=$NF}
    /Elapsed \(wall clock\)/ {n=split($NF, p, ":"); w=0; for (i=1; i<=n; i++) w=w*60+p[i]}
    END {printf "%s %.2f %.2f %.0f\n", name, w, u+s, r/1024}' "$log"
}

results=()
rm -rf "$dir/store"
results+=("$(run casebook "$bin" ingest "$maildir" --store "$dir/store")")

if command -v mu > /dev/null; then
  rm -rf "$dir/mu"
  mu init --muhome="$dir/mu" --maildir="$maildir" > /dev/null
  results+=("$(run mu mu index --muhome="$dir/mu")")
else
  echo "mu not installed (apt-get install maildir-utils): skipped" >&2
fi

if command -v notmuch > /dev/null; then
  rm -rf "$maildir/.notmuch" "$dir/notmuch-db"
  cat > "$dir/notmuch-config" <<CONF
[database]
path=$maildir
mail_root=$maildir
[user]
name=bench
primary_email=bench@example.com
[new]
tags=inbox;
[maildir]
synchronize_flags=false
CONF
  results+=("$(NOTMUCH_CONFIG=$dir/notmuch-config run notmuch notmuch new)")
  rm -rf "$maildir/.notmuch"
else
  echo "notmuch not installed (apt-get install notmuch): skipped" >&2
fi

echo "$messages messages in $maildir; load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-9s %9s %8s %11s %12s %9s %16s\n' tool wall_s cpu_s msgs/s msgs/cpu_s peak_MiB "casebook is x"
read -r _ cw cc _ <<< "${results[0]}"
for r in "${results[@]}"; do
  read -r name w c m <<< "$r"
  awk -v n="$name" -v w="$w" -v c="$c" -v m="$m" -v k="$messages" -v cw="$cw" -v cc="$cc" 'BEGIN {
    printf "%-9s %9.2f %8.2f %11.0f %12.0f %9s %7.1f wall %4.1f cpu\n", n, w, c, k / w, k / c, m, w / cw, c / cc }'
done
