#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang-16, ASan + UBSan) and runs each for
# FUZZ_SECONDS (default 60), FUZZ_JOBS at a time (default: the number of cores). Each target grows
# its own corpus in build-fuzz/fuzz-work/<target>/corpus, seeded from tests/fuzz/corpus/<target>
# (which is never written); a crash, leak, timeout or sanitizer report leaves its input in
# build-fuzz/fuzz-work/<target>/artifacts/ and makes the script exit 1. Prints one line per target.
# Usage: make fuzz FUZZ_SECONDS=600     or     FUZZ_SECONDS=30 scripts/run-fuzz.sh jinja api_json
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
jobs="${FUZZ_JOBS:-$(nproc)}"
cmake --preset fuzz >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target fuzz_targets
source scripts/sanitizer-env.sh

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in build-fuzz/fuzz/*_fuzz; do targets+=("$(basename "$f" _fuzz)"); done
fi

run_one() {
  local t="$1" work="build-fuzz/fuzz-work/$1" rc=0 start=$SECONDS
  mkdir -p "$work"
  tests/fuzz/run-target.sh "build-fuzz/fuzz/${t}_fuzz" "$t" "$seconds" "$work" \
    >"$work/last.log" 2>&1 || rc=$?
  echo "$rc" >"$work/last.rc"
  echo $((SECONDS - start)) >"$work/last.seconds"  # shorter than asked when it found something
}

pids=()
for t in "${targets[@]}"; do
  run_one "$t" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$jobs" ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
wait

failed=0
printf '%-22s %8s %12s %8s %8s %8s  %s\n' target seconds executions cov corpus rss_mb result
for t in "${targets[@]}"; do
  work="build-fuzz/fuzz-work/$t"
  rc=$(cat "$work/last.rc")
  ran=$(cat "$work/last.seconds" 2>/dev/null || echo "?")
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/last.log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$work/last.log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$work/last.log" | tail -1 | cut -d' ' -f2)
  corpus=$(find "$work/corpus" -type f | wc -l)
  result=ok
  if [ "$rc" = 79 ]; then result="skipped ($(grep -m1 skipped "$work/last.log" || true))";
  elif [ "$rc" != 0 ]; then result="FAILED rc=$rc, see $work/last.log and $work/artifacts/"; failed=1; fi
  printf '%-22s %8s %12s %8s %8s %8s  %s\n' "$t" "$ran" "${execs:-?}" "${cov:-?}" "$corpus" \
    "${rss:-?}" "$result"
done
exit "$failed"
